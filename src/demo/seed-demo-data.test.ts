import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { fixedClock, testDeps } from '../../test/support/test-deps.ts';
import { previousMonth } from '../calendar/billing-period.ts';
import { startBillingRun } from '../billing-runs/start-billing-run.ts';
import type { Deps } from '../ports/deps.ts';
import { buildApprovalCard } from '../../blocks/approval-card.ts';
import { visibleText } from '../../test/support/block-kit-queries.ts';
import { loadApprovalCardView } from '../slack/load-approval-card-view.ts';
import { hasCustomers, seedDemoData } from './seed-demo-data.ts';

// The demo must give a first run something to show: clean drafts in two currencies, waiting for review,
// one of them held because it moved too far from the customer's last invoice.

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
    expect(demo).toEqual({ created: true, customers: 6, usageEvents: 31 * 7, periodLabel: 'October 2026' });
    expect(await hasCustomers(database.db)).toBe(true);
    expect(await seedDemoData(deps)).toMatchObject({ created: false, customers: 6, usageEvents: 0 });

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
      .where('period_start', '=', '2026-10-01')
      .execute();
    expect(invoices).toHaveLength(6);
    expect(new Set(invoices.map((invoice) => invoice.currency))).toEqual(new Set(['GBP', 'EUR']));
    for (const invoice of invoices) {
      expect(invoice.exceptions).toEqual([]);
      expect(invoice.status).toBe('pending_approval');
      expect(invoice.total).toMatch(/^[1-9]\d*\.\d{2}$/);
    }
  });

  it("holds the returning customer's invoice for review, its card showing the change against the paid one", async () => {
    const previous = await database.db
      .selectFrom('invoices')
      .innerJoin('customers', 'customers.id', 'invoices.customer_id')
      .select([
        'invoices.status',
        'invoices.number',
        'invoices.issue_date',
        'invoices.total',
        'invoices.amount_paid',
      ])
      .where('customers.external_id', '=', 'demo-wonka')
      .where('invoices.period_start', '=', '2026-09-01')
      .executeTakeFirstOrThrow();
    expect(previous).toEqual({
      status: 'paid',
      number: expect.stringMatching(/^INV-2026-\d{5}$/) as unknown,
      issue_date: '2026-10-01',
      total: '106.80',
      amount_paid: '106.80',
    });

    const held = await database.db
      .selectFrom('invoices')
      .innerJoin('customers', 'customers.id', 'invoices.customer_id')
      .select(['invoices.id', 'invoices.status', 'invoices.review_reasons'])
      .where('customers.external_id', '=', 'demo-wonka')
      .where('invoices.period_start', '=', '2026-10-01')
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('pending_approval');
    // The change is over the configured tolerance (25% in billing.example.yml), so it waits for a person.
    expect(deps.billing.approval.changeTolerancePercent?.lessThan('99.8')).toBe(true);
    expect(held.review_reasons).toEqual([
      { code: 'total_changed', text: 'Total is 99.8% higher than the last invoice (£106.80 → £213.36)' },
    ]);
    const card = await loadApprovalCardView(database.db, held.id);
    if (card === undefined) throw new Error('no card for the held invoice');
    expect(visibleText(buildApprovalCard(card.view).blocks)).toContain(
      '*Against the last invoice:* +99.8% (last time £106.80)',
    );
  });
});
