import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { parseBillingPeriod } from '../src/calendar/billing-period.ts';
import { formatRunReport } from '../src/billing-runs/format-run-report.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import { openCliContext } from './cli-context.ts';

const USAGE = `Usage: npm run billing -- run --period <period> [--dry] [--customer <id>]…
  --period    a month (2026-10) or a range of days (2026-10-01..2026-10-14)
  --dry       price everything and print the drafts, saving nothing
  --customer  bill only this customer (external id); repeat for more`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      period: { type: 'string' },
      dry: { type: 'boolean', default: false },
      customer: { type: 'string', multiple: true },
    },
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const [command, ...extra] = parsed.positionals;
if (command !== 'run' || extra.length > 0)
  fail(`Unknown command: ${parsed.positionals.join(' ') || '(none)'}`);
if (parsed.values.period === undefined) fail('--period is required');
const period = parseBillingPeriod(parsed.values.period);
if ('error' in period) fail(`--period: ${period.error}`);

const context = await openCliContext();
try {
  const customers = parsed.values.customer;
  const result = await startBillingRun(context, {
    period,
    scope: { customers: customers === undefined || customers.length === 0 ? 'all' : customers },
    trigger: 'command',
    startedBy: `cli:${userInfo().username}`,
    dryRun: parsed.values.dry,
  });
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${formatRunReport(result.run, result.outcome)}\n`);
  }
} finally {
  await context.close();
}
