import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CUSTOMER_COLUMNS } from '../src/intake/customer-row-schema.ts';
import { describeIntakeOutcome } from '../src/intake/describe-intake-outcome.ts';
import { importCustomers } from '../src/intake/import-customers.ts';
import { importSubscriptions } from '../src/intake/import-subscriptions.ts';
import type { IntakeColumns } from '../src/intake/intake-columns.ts';
import type { IntakeOutcome } from '../src/intake/intake-outcome.ts';
import { IntakeFileError } from '../src/intake/intake-rows.ts';
import { readIntakeFile } from '../src/intake/read-intake-file.ts';
import { recordUsage } from '../src/intake/record-usage.ts';
import { SUBSCRIPTION_COLUMNS } from '../src/intake/subscription-row-schema.ts';
import { USAGE_COLUMNS } from '../src/intake/usage-event-schema.ts';
import { openCliContext, runCli, usageError } from './cli-context.ts';

const USAGE = `Usage: npm run import -- <kind> <file> [--skip-invalid]
  kind            customers | subscriptions | usage
  file            a .csv file (header line first) or a .json file (an array of objects)
  --skip-invalid  import the valid rows and list the invalid ones (default: any invalid row imports nothing)
Example: npm run import -- usage ./usage-2026-11.csv`;

const COLUMNS: Record<string, IntakeColumns> = {
  customers: CUSTOMER_COLUMNS,
  subscriptions: SUBSCRIPTION_COLUMNS,
  usage: USAGE_COLUMNS,
};

const HELP = 'npm run import -- --help';

function fail(message: string): never {
  usageError(message, HELP);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'skip-invalid': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [kind, filePath, ...extra] = parsed.positionals;
if (kind === undefined) fail('Say what to import: customers, subscriptions or usage.');
const columns = COLUMNS[kind];
if (columns === undefined) fail(`Unknown kind "${kind}": expected customers, subscriptions or usage.`);
if (filePath === undefined) fail(`Say which file to import, e.g. npm run import -- ${kind} ./${kind}.csv`);
if (extra.length > 0) fail(`Unexpected arguments: ${extra.join(' ')}`);
const extension = path.extname(filePath).toLowerCase();
if (extension !== '.csv' && extension !== '.json') {
  fail(`${filePath}: expected a .csv or .json file (the extension says which format it is).`);
}
const isFile = await stat(filePath).then(
  (stats) => stats.isFile(),
  () => false,
);
if (!isFile) fail(`No such file: ${filePath}`);

const skipInvalid = parsed.values['skip-invalid'];
await runCli('npm run import', async () => {
  let file;
  try {
    file = await readIntakeFile(filePath, { kind, columns });
  } catch (error) {
    if (!(error instanceof IntakeFileError)) throw error;
    process.stderr.write(`${error.message}\nNothing was imported.\n`);
    process.exitCode = 1;
    return;
  }
  const context = await openCliContext();
  try {
    const options = { catalog: context.catalog, skipInvalid, rowLabel: file.rowLabel };
    let outcome: IntakeOutcome<object>;
    if (kind === 'customers') outcome = await importCustomers(context.db, file.rows, options);
    else if (kind === 'subscriptions') outcome = await importSubscriptions(context.db, file.rows, options);
    else
      outcome = await recordUsage(context.db, file.rows, {
        skipInvalid,
        rowLabel: file.rowLabel,
        source: `import:${path.basename(filePath)}`,
      });
    process.stdout.write(
      `${path.basename(filePath)}: ${describeIntakeOutcome(outcome, { rowLabel: file.rowLabel })}\n`,
    );
    if (outcome.code === 'invalid_rows') process.exitCode = 1;
  } finally {
    await context.close();
  }
});
