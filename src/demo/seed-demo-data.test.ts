import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { fixedClock, testDeps } from '../../test/support/test-deps.ts';
import { previousMonth } from '../calendar/billing-period.ts';
import { startBillingRun } from '../billing-runs/start-billing-run.ts';
import type { Deps } from '../ports/deps.ts';
import { hasCustomers, seedDemoData } from './seed-demo-data.ts';

// The demo must give a first run something to show: clean drafts in two currencies, waiting for review.

let database: TestDatabase;
let deps: Deps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database, { clock: fixedClock('2026-11-21T09:00:00Z') });
});
afterAll(async () => {
  await database.close();
});

describe('seedDemoData', () => {
  it('adds customers and last month’s usage once, and a run drafts clean invoices in GBP and EUR', async () => {
    expect(await hasCustomers(database.db)).toBe(false);
    const demo = await seedDemoData(deps);
    expect(demo).toEqual({ created: true, customers: 5, usageEvents: 31 * 6, periodLabel: 'October 2026' });
    expect(await hasCustomers(database.db)).toBe(true);
    expect(await seedDemoData(deps)).toMatchObject({ created: false, customers: 5, usageEvents: 0 });

    const result = await startBillingRun(deps, {
      period: previousMonth('2026-11-21'),
      scope: { customers: 'all' },
      trigger: 'command',
      startedBy: 'slack:U0FINANCE',
    });
    expect(result.ok).toBe(true);
    const invoices = await database.db
      .selectFrom('invoices')
      .select(['currency', 'status', 'exceptions', 'total'])
      .execute();
    expect(invoices).toHaveLength(5);
    expect(new Set(invoices.map((invoice) => invoice.currency))).toEqual(new Set(['GBP', 'EUR']));
    for (const invoice of invoices) {
      expect(invoice.exceptions).toEqual([]);
      expect(invoice.status).toBe('pending_approval');
      expect(invoice.total).toMatch(/^[1-9]\d*\.\d{2}$/);
    }
  });
});
