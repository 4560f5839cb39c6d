import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { parseBillingPeriod, unendedPeriod } from '../src/calendar/billing-period.ts';
import { formatRunReport } from '../src/billing-runs/format-run-report.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import { CliFailure, openCliContext, runCli, usageError } from './cli-context.ts';

const USAGE = `Usage: npm run billing -- run --period <period> [--dry] [--force] [--customer <id>]…
  --period    a month (2026-10) or a range of days (2026-10-01..2026-10-14)
  --dry       price everything and print the drafts, saving nothing
  --force     draft a period that has not ended yet (its later usage will not be billed)
  --customer  bill only this customer (external id); repeat for more`;
const HELP = 'npm run billing -- --help';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      period: { type: 'string' },
      dry: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      customer: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error), HELP);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [command, ...extra] = parsed.positionals;
if (command !== 'run' || extra.length > 0)
  usageError(`Unknown command: ${parsed.positionals.join(' ') || '(none)'}; expected run`, HELP);
if (parsed.values.period === undefined) usageError('--period is required', HELP);
const period = parseBillingPeriod(parsed.values.period);
if ('error' in period) usageError(`--period: ${period.error}`, HELP);
const { dry, force } = parsed.values;
const customers = parsed.values.customer ?? [];

await runCli('npm run billing', async () => {
  const context = await openCliContext();
  try {
    const unended = unendedPeriod(period, context.billing.timezone, context.clock.now());
    if (unended !== undefined && !dry && !force) {
      throw new CliFailure(
        `${unended.message}. Nothing was drafted: add --force to draft it anyway, or --dry to preview it.`,
      );
    }
    if (unended !== undefined && dry) process.stderr.write(`Note: ${unended.message}.\n`);
    const result = await startBillingRun(context, {
      period,
      scope: { customers: customers.length === 0 ? 'all' : customers },
      trigger: 'command',
      startedBy: `cli:${userInfo().username}`,
      dryRun: dry,
    });
    if (!result.ok) throw new CliFailure(result.message);
    process.stdout.write(`${formatRunReport(result.run, result.outcome)}\n`);
  } finally {
    await context.close();
  }
});
