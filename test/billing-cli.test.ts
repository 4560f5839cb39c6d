import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { freePort } from './support/free-port.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

// The shell commands as an operator runs them: the real scripts, a real database, their printed output.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

let database: TestDatabase;
let customersCsv: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  script: string,
  args: string[],
  databaseUrl: string,
  billingConfig = 'billing.example.yml',
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(TSX, [`scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: databaseUrl,
        BILLING_CONFIG: billingConfig,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function billing(...args: string[]): Promise<CliResult> {
  return cli('billing', args, database.url);
}

/** What an error must look like: one line on stderr, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'billops-cli-'));
  customersCsv = path.join(dir, 'customers.csv');
  await writeFile(customersCsv, 'external_id,name,email_to,currency\nwayne,Wayne Ltd,ap@wayne.example,GBP\n');
  database = await createTestDatabase();
  const acme = await insertCustomer(database.db, { external_id: 'acme' });
  await insertSubscription(database.db, acme, { plan_code: 'starter' });
  await insertUsage(database.db, acme, 'api_calls', '25000', '2026-10-03T10:00:00Z');
  const noTax = await insertCustomer(database.db, { external_id: 'no-tax', tax_profile: null });
  await insertSubscription(database.db, noTax, { plan_code: 'starter' });
});
afterAll(async () => {
  await database.close();
  await rm(path.dirname(customersCsv), { recursive: true, force: true });
});

describe('npm run billing -- run', () => {
  it('prints the billing.yml warnings npm start would log', async () => {
    const example = await readFile('billing.example.yml', 'utf8');
    const suspicious = path.join(path.dirname(customersCsv), 'billing-fraction.yml');
    await writeFile(
      suspicious,
      example.replace('rates: { standard: 20, zero: 0 }', 'rates: { standard: 0.2, zero: 0 }'),
    );
    const { code, stderr } = await cli(
      'billing',
      ['run', '--period', '2026-10', '--dry'],
      database.url,
      suspicious,
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Warning: billing config: .*0\.2/m);
  });

  it('prints the drafts of a dry run and saves nothing', async () => {
    const { code, stdout } = await billing('run', '--period', '2026-10', '--dry');
    expect(code).toBe(0);
    expect(stdout).toContain('Dry run: nothing was saved');
    expect(stdout).toMatch(/acme\s+GBP\s+2\s+79\.00\s+0\.00\s+15\.80\s+94\.80/);
    expect(stdout).toMatch(/GBP\s+2\s+128\.00\s+0\.00\s+15\.80\s+143\.80/);
    expect(stdout).toContain('no-tax: Customer no-tax has no tax profile');
    expect(await database.db.selectFrom('billing_runs').select('id').execute()).toEqual([]);
  });

  it('drafts the run once; asking again shows the same run', async () => {
    const first = await billing('run', '--period', '2026-10');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Billing run [0-9a-f-]{36} drafted/);
    expect(first.stdout).toContain('2 drafted (1 with exceptions)');
    const again = await billing('run', '--period', '2026-10');
    expect(again.stdout).toContain('already exists for this period and scope (nothing changed)');
    expect(again.stdout).toMatch(/acme\s+GBP\s+2\s+79\.00/);
    expect(await database.db.selectFrom('invoices').select('id').execute()).toHaveLength(2);
  });

  it('explains a bad period or an unknown customer and what to type', async () => {
    const period = await billing('run', '--period', 'October');
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('--period: "October" is not a period; expected a month (2026-10)');
    expect(period.stderr).toContain('(npm run billing -- --help shows the usage)');
    expectOneLine(period.stderr);
    const customer = await billing('run', '--period', '2026-09', '--customer', 'nobody');
    expect(customer.code).toBe(1);
    expect(customer.stderr).toContain('No customer has the id "nobody"');
    expectOneLine(customer.stderr);
    const help = await billing('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run billing -- run --period <period> [--dry] [--force]');
  });
});

describe('npm run billing -- run for a period that has not ended', () => {
  const runsFor = (start: string) =>
    database.db.selectFrom('billing_runs').select('id').where('period_start', '=', start).execute();

  it('refuses in one line that says when the period ends and how to draft it anyway', async () => {
    const refused = await billing('run', '--period', '2099-07');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'July 2099 has not ended: it ends on 2099-07-31 (Europe/London), so usage recorded after now would not be billed. Nothing was drafted: add --force to draft it anyway, or --dry to preview it.\n',
    );
    expect(refused.stdout).toBe('');
    expect(await runsFor('2099-07-01')).toEqual([]);
  });

  it('previews it with --dry, with a note, saving nothing', async () => {
    const dry = await billing('run', '--period', '2099-07-01..2099-07-14', '--dry');
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('Note: 2099-07-01 – 2099-07-14 has not ended: it ends on 2099-07-14');
    expect(dry.stdout).toContain('Dry run: nothing was saved');
    expect(await runsFor('2099-07-01')).toEqual([]);
  });

  it('drafts it with --force', async () => {
    const forced = await billing('run', '--period', '2099-07', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^Billing run [0-9a-f-]{36} drafted/);
    expect(await runsFor('2099-07-01')).toHaveLength(1);
  });
});

describe('shell commands on a database npm start never ran on', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    // Empty: neither billops' tables nor graphile-worker's job queue exist yet.
    fresh = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await fresh.close();
  });

  it('imports customers, seeds the demo, then drafts a run, creating both schemas on the way', async () => {
    const imported = await cli('import', ['customers', customersCsv], fresh.url);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('customers.csv: ');
    const demo = await cli('demo', [], fresh.url);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('Demo data added');
    const [, label] = /usage events in (.+)\.\n/.exec(demo.stdout) ?? [];
    const lastMonth = new Date(`1 ${label ?? ''} 12:00Z`).toISOString().slice(0, 7);

    const drafted = await cli('billing', ['run', '--period', lastMonth], fresh.url);
    expect(drafted.stderr).toBe('');
    expect(drafted.code).toBe(0);
    expect(drafted.stdout).toMatch(/^Billing run [0-9a-f-]{36} drafted/);
    const queued = await sql<{ task_identifier: string }>`
      select task_identifier from graphile_worker.jobs`.execute(fresh.db);
    expect(queued.rows.map((job) => job.task_identifier)).toContain('post_run_messages');
  });

  it('migrates both schemas with npm run migrate', async () => {
    const other = await createTestDatabase({ empty: true });
    try {
      const migrated = await cli('migrate', [], other.url);
      expect(migrated.code).toBe(0);
      const schemas = await sql<{ name: string }>`
        select nspname as name from pg_namespace where nspname = 'graphile_worker'`.execute(other.db);
      expect(schemas.rows).toEqual([{ name: 'graphile_worker' }]);
      expect(await other.db.selectFrom('billing_runs').select('id').execute()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('says in one line that the database cannot be reached, and what to do', async () => {
    const port = await freePort();
    const unreachable = `postgres://billops:secret@127.0.0.1:${port}/billops`;
    for (const [script, args] of [
      ['billing', ['run', '--period', '2026-10']],
      ['import', ['customers', customersCsv]],
      ['demo', []],
      ['migrate', []],
    ] as const) {
      const failed = await cli(script, [...args], unreachable);
      expect(failed.code, script).not.toBe(0);
      expect(failed.stderr, script).toBe(
        `Cannot reach PostgreSQL at 127.0.0.1:${port}/billops (DATABASE_URL): connection refused. Start that server, or fix DATABASE_URL (without it billops runs its own Postgres under DATA_DIR).\n`,
      );
      expectOneLine(failed.stderr);
      expect(failed.stderr).not.toContain('secret');
    }
  });
});
