import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

// `npm run billing` as an operator runs it: the real script, a real database, its printed table.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

let database: TestDatabase;

async function billing(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['scripts/billing.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        BILLING_CONFIG: 'billing.example.yml',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  const acme = await insertCustomer(database.db, { external_id: 'acme' });
  await insertSubscription(database.db, acme, { plan_code: 'starter' });
  await insertUsage(database.db, acme, 'api_calls', '25000', '2026-10-03T10:00:00Z');
  const noTax = await insertCustomer(database.db, { external_id: 'no-tax', tax_profile: null });
  await insertSubscription(database.db, noTax, { plan_code: 'starter' });
});
afterAll(async () => {
  await database.close();
});

describe('npm run billing -- run', () => {
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
    expect(period.stderr).toContain('Usage: npm run billing -- run --period <period>');
    const customer = await billing('run', '--period', '2026-09', '--customer', 'nobody');
    expect(customer.code).toBe(1);
    expect(customer.stderr).toContain('No customer has the id "nobody"');
  });
});
