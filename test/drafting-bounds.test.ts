import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBillingPeriod, type BillingPeriod } from '../src/calendar/billing-period.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import type { Deps } from '../src/ports/deps.ts';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { testDeps } from './support/test-deps.ts';

const OCTOBER = parseBillingPeriod('2026-10') as BillingPeriod;

let database: TestDatabase;
let deps: Deps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database);
});
afterAll(async () => {
  await database.close();
});

describe('a billing run with usage beyond the largest amount', () => {
  it('drafts the invoice with an amount_out_of_range exception naming the line, so it cannot be approved as it is', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme, { plan_code: 'starter' });
    // Each event is within the quantity bound; ten of them, at 0.001 a call, come to about 10^13.
    for (let index = 0; index < 10; index += 1) {
      await insertUsage(database.db, acme, 'api_calls', '999999999999999', '2026-10-03T10:00:00Z');
    }
    const result = await startBillingRun(deps, {
      period: OCTOBER,
      scope: { customers: 'all' },
      trigger: 'command',
      startedBy: 'cli:finance',
    });
    if (!result.ok) throw new Error(result.message);
    const invoice = await database.db
      .selectFrom('invoices')
      .select(['status', 'exceptions'])
      .executeTakeFirstOrThrow();
    const exceptions = invoice.exceptions as { code: string; message: string }[];
    expect(exceptions.filter((exception) => exception.code === 'amount_out_of_range')).toEqual([
      {
        code: 'amount_out_of_range',
        message: expect.stringMatching(
          /^API calls: the line's amount comes to £10,000,000,000,0\d\d\.\d\d \(quantity 9999999999999990\), beyond £999,999,999,999\.99, the largest amount billops drafts; check the usage or the price behind it$/,
        ) as unknown,
      },
    ]);
    expect(invoice.status).toBe('draft');
  });
});
