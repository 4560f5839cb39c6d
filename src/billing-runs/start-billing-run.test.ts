import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertCustomer, insertSubscription, insertUsage } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { testDeps } from '../../test/support/test-deps.ts';
import { parseBillingConfig } from '../billing-config/load-billing-config.ts';
import type { Deps } from '../ports/deps.ts';
import { parseBillingPeriod, type BillingPeriod } from '../calendar/billing-period.ts';
import { startBillingRun, type StartBillingRunInput } from './start-billing-run.ts';

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
beforeEach(async () => {
  for (const table of [
    'invoice_lines',
    'invoices',
    'billing_runs',
    'usage_records',
    'subscriptions',
    'customers',
  ] as const) {
    await database.db.deleteFrom(table).execute();
  }
});

function run(overrides: Partial<StartBillingRunInput> = {}) {
  return startBillingRun(deps, {
    period: OCTOBER,
    scope: { customers: 'all' },
    trigger: 'command',
    startedBy: 'cli:finance',
    ...overrides,
  });
}

async function created(overrides: Partial<StartBillingRunInput> = {}) {
  const result = await run(overrides);
  if (!result.ok) throw new Error(result.message);
  return result;
}

async function linesOf(customerExternalId: string) {
  return database.db
    .selectFrom('invoice_lines')
    .innerJoin('invoices', 'invoices.id', 'invoice_lines.invoice_id')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoice_lines.description',
      'invoice_lines.quantity',
      'invoice_lines.amount',
      'invoice_lines.tax_amount',
    ])
    .where('customers.external_id', '=', customerExternalId)
    .orderBy('invoice_lines.position')
    .execute();
}

describe('startBillingRun', () => {
  it('drafts one invoice per customer with priced lines, totals and a due date from the terms', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme, { plan_code: 'starter' });
    await insertUsage(database.db, acme, 'api_calls', '20000', '2026-10-03T10:00:00Z');
    await insertUsage(database.db, acme, 'api_calls', '5000', '2026-10-20T10:00:00Z');
    const globex = await insertCustomer(database.db, { external_id: 'globex', payment_terms: 'eom_30' });
    await insertSubscription(database.db, globex, { plan_code: 'growth' });
    await insertUsage(database.db, globex, 'storage_gb', '1500', '2026-10-31T12:00:00Z');
    await insertUsage(database.db, globex, 'messages', '10001', '2026-10-15T12:00:00Z');

    const { outcome, run: summary } = await created();

    expect(outcome).toBe('created');
    // acme: 49.00 fee + (25,000 − 10,000 free) × 0.002 = 30.00 → 79.00, VAT 20% 15.80 → 94.80
    // globex: 299.00 + 1,500 GB × 0.08 (volume) = 120.00 + 11 blocks × 1.50 = 16.50 less 10% (1.65)
    //   → subtotal 435.50, discount 1.65, VAT 86.77 → 520.62, due 30 days after 30 November
    expect(
      summary.invoices.map((row) => [
        row.customerExternalId,
        row.subtotal,
        row.discount,
        row.tax,
        row.total,
        row.dueDate,
      ]),
    ).toEqual([
      ['acme', '79.00', '0.00', '15.80', '94.80', '2026-12-03'],
      ['globex', '435.50', '1.65', '86.77', '520.62', '2026-12-30'],
    ]);
    expect(summary.totals).toEqual({
      GBP: { invoices: 2, subtotal: '514.50', discount: '1.65', tax: '102.57', total: '615.42' },
    });
    expect(await linesOf('acme')).toEqual([
      { description: 'Starter platform fee', quantity: '1', amount: '49.00', tax_amount: '9.80' },
      { description: 'API calls', quantity: '25000', amount: '30.00', tax_amount: '6.00' },
    ]);
    // Both are first invoices, which the example policy holds for review.
    const invoices = await database.db
      .selectFrom('invoices')
      .select(['status', 'issue_date', 'run_id', 'review_reasons'])
      .execute();
    expect(invoices.map((row) => [row.status, row.issue_date, row.run_id])).toEqual([
      ['pending_approval', '2026-11-03', summary.id],
      ['pending_approval', '2026-11-03', summary.id],
    ]);
    expect(invoices[0]?.review_reasons).toEqual([
      { code: 'first_invoice', text: 'First invoice to this customer' },
    ]);
    expect(summary.policy).toEqual({ autoApproved: 0, needsReview: 2, blocked: 0 });
  });

  it('returns the same run when asked twice, and drafts nothing more', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme);
    const first = await created();
    const second = await created({ trigger: 'schedule', startedBy: 'schedule:monthly' });
    expect(second.outcome).toBe('existing');
    expect(second.run.id).toBe(first.run.id);
    expect(second.run.invoices).toEqual(first.run.invoices);
    expect(second.run.startedBy).toBe('cli:finance');
    expect(await database.db.selectFrom('invoices').select('id').execute()).toHaveLength(1);
  });

  it('gives two simultaneous callers one run', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme);
    const results = await Promise.all([created(), created(), created()]);
    expect(results.map((result) => result.outcome).sort()).toEqual(['created', 'existing', 'existing']);
    expect(new Set(results.map((result) => result.run.id)).size).toBe(1);
    expect(await database.db.selectFrom('invoices').select('id').execute()).toHaveLength(1);
  });

  it('never bills a customer twice for one period, even from a run with another scope', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme);
    await created();
    const again = await created({ scope: { customers: ['acme'] } });
    expect(again.outcome).toBe('created');
    expect(again.run.counts).toMatchObject({ drafted: 0, alreadyInvoiced: 1 });
    const overlapping = await created({
      period: parseBillingPeriod('2026-10-10..2026-10-20') as BillingPeriod,
    });
    expect(overlapping.run.counts).toMatchObject({ drafted: 0, alreadyInvoiced: 1 });
  });

  it('bills each customer once when runs with overlapping scopes draft at the same time', async () => {
    for (const id of ['acme', 'globex', 'initech']) {
      await insertSubscription(database.db, await insertCustomer(database.db, { external_id: id }));
    }
    // Both read their inputs before either writes; the second to draft sees the first's invoices.
    const [all, some] = await Promise.all([created(), created({ scope: { customers: ['acme', 'globex'] } })]);

    expect([all.outcome, some.outcome]).toEqual(['created', 'created']);
    expect(all.run.counts.drafted + some.run.counts.drafted).toBe(3);
    // Whichever wins, the other leaves out the two customers both scopes hold.
    expect(all.run.counts.alreadyInvoiced + some.run.counts.alreadyInvoiced).toBe(2);
    const invoices = await database.db.selectFrom('invoices').select('customer_id').execute();
    expect(invoices).toHaveLength(3);
    expect(new Set(invoices.map((invoice) => invoice.customer_id)).size).toBe(3);
  });

  it('bills a customer once when runs for overlapping periods draft at the same time', async () => {
    await insertSubscription(database.db, await insertCustomer(database.db, { external_id: 'acme' }));
    const [month, part] = await Promise.all([
      created(),
      created({ period: parseBillingPeriod('2026-10-10..2026-10-20') as BillingPeriod }),
    ]);

    expect(month.run.counts.drafted + part.run.counts.drafted).toBe(1);
    expect(month.run.counts.alreadyInvoiced + part.run.counts.alreadyInvoiced).toBe(1);
    expect(await database.db.selectFrom('invoices').select('id').execute()).toHaveLength(1);
  });

  it('refuses a scope naming customers that do not exist', async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const result = await run({ scope: { customers: ['acme', 'nobody'] } });
    expect(result).toMatchObject({ ok: false, code: 'unknown_customers', customers: ['nobody'] });
    expect(await database.db.selectFrom('billing_runs').select('id').execute()).toEqual([]);
  });

  it('prorates the fee by day and flags usage from before the subscription started', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme, { starts_on: '2026-10-17' });
    await insertUsage(database.db, acme, 'api_calls', '12000', '2026-10-05T10:00:00Z');
    const { run: summary } = await created();
    // 49.00 × 15/31 = 23.7096… → 23.71
    expect(await linesOf('acme')).toEqual([
      { description: 'Starter platform fee', quantity: '1', amount: '23.71', tax_amount: '4.74' },
    ]);
    expect(summary.invoices[0]?.exceptions.map((exception) => exception.code)).toEqual([
      'usage_outside_subscription',
    ]);
  });

  it('counts usage by the billing time zone: Europe/London midnight, not UTC', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme);
    await insertUsage(database.db, acme, 'api_calls', '10000', '2026-09-30T22:59:59Z'); // 23:59:59 BST, September
    await insertUsage(database.db, acme, 'api_calls', '10001', '2026-09-30T23:00:00Z'); // 00:00 BST, October
    await insertUsage(database.db, acme, 'api_calls', '7', '2026-10-31T23:59:59Z'); // GMT again, still October
    await insertUsage(database.db, acme, 'api_calls', '500', '2026-11-01T00:00:00Z'); // November
    await created();
    expect((await linesOf('acme'))[1]).toMatchObject({ quantity: '10008', amount: '0.02' });
  });

  it('flags what it cannot price instead of guessing', async () => {
    const noEmail = await insertCustomer(database.db, { external_id: 'no-email', email_to: [] });
    await insertSubscription(database.db, noEmail);
    const noTax = await insertCustomer(database.db, { external_id: 'no-tax', tax_profile: null });
    await insertSubscription(database.db, noTax);
    const oddPlan = await insertCustomer(database.db, { external_id: 'odd-plan' });
    await insertSubscription(database.db, oddPlan, { plan_code: 'retired' });
    const oddMetric = await insertCustomer(database.db, { external_id: 'odd-metric' });
    await insertSubscription(database.db, oddMetric);
    await insertUsage(database.db, oddMetric, 'gpu_hours', '3', '2026-10-03T10:00:00Z');
    const euro = await insertCustomer(database.db, {
      external_id: 'euro',
      currency: 'EUR',
      tax_profile: 'de_vat',
    });
    await insertSubscription(database.db, euro, { plan_code: 'starter' });
    const refunds = await insertCustomer(database.db, {
      external_id: 'refunds',
      currency: 'EUR',
      tax_profile: 'de_vat',
    });
    await insertSubscription(database.db, refunds, { plan_code: 'marketplace_eu' });
    await insertUsage(database.db, refunds, 'payment_volume', '-10000', '2026-10-03T10:00:00Z');

    const { run: summary } = await created();
    const codes = Object.fromEntries(
      summary.invoices.map((row) => [
        row.customerExternalId,
        row.exceptions.map((exception) => exception.code),
      ]),
    );
    expect(codes).toEqual({
      euro: ['currency_mismatch'],
      'no-email': ['no_recipient'],
      'no-tax': ['no_tax_profile'],
      'odd-metric': ['unknown_metric'],
      'odd-plan': ['unknown_plan'],
      refunds: ['negative_total'],
    });
    expect(summary.counts).toMatchObject({ customers: 6, drafted: 6, withExceptions: 6 });
    const noTaxRow = summary.invoices.find((row) => row.customerExternalId === 'no-tax');
    expect(noTaxRow?.exceptions[0]?.message).toMatch(
      /has no tax profile; set tax_profile to one of gb_vat, /,
    );
  });

  it('follows the zero-amount rule: skip, or draft for review', async () => {
    const text = (rule: string) => `
currencies: [GBP]
zero_amount_invoices: ${rule}
slack: { billing_channel: C0BILLING, alerts_channel: C0ALERTS }
approval: { approvers: { users: [U0APPROVER1] } }
seller: { name: Test Ltd }
email: { from: billing@test.example, text: Hello }
payment_terms: { default: net_30, terms: { net_30: { days: 30 } } }
tax: { jurisdictions: { GB: { label: VAT, rates: { standard: 20 } } }, profiles: { gb_vat: { treatment: standard, jurisdiction: GB } } }
plans:
  - { code: starter, name: Free, currency: GBP, components: [{ code: calls, description: Calls, metric: api_calls, model: per_unit, unit_price: 0.01 }] }
`;
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme);
    const skipping = { ...deps, billing: parseBillingConfig(text('skip'), 'billing.yml') };
    const skipped = await startBillingRun(skipping, {
      period: OCTOBER,
      scope: { customers: 'all' },
      trigger: 'api',
      startedBy: 'api',
    });
    expect(skipped.ok && skipped.run.counts).toMatchObject({ customers: 1, drafted: 0, nothingToBill: 1 });
    expect(skipped.ok && skipped.run.status).toBe('completed');

    await database.db.deleteFrom('billing_runs').execute();
    const drafting = { ...deps, billing: parseBillingConfig(text('draft'), 'billing.yml') };
    const drafted = await startBillingRun(drafting, {
      period: OCTOBER,
      scope: { customers: 'all' },
      trigger: 'api',
      startedBy: 'api',
    });
    expect(drafted.ok && drafted.run.invoices.map((row) => row.total)).toEqual(['0.00']);
  });

  it('prices a dry run exactly like a real one and writes nothing', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme);
    await insertUsage(database.db, acme, 'api_calls', '123457', '2026-10-03T10:00:00Z');
    const auditBefore = await database.db.selectFrom('audit_log').select('seq').execute();
    const dry = await created({ dryRun: true });
    expect(dry.outcome).toBe('dry_run');
    expect(dry.run.id).toBeNull();
    for (const table of ['billing_runs', 'invoices', 'invoice_lines'] as const) {
      expect(await database.db.selectFrom(table).selectAll().execute()).toEqual([]);
    }
    expect(await database.db.selectFrom('audit_log').select('seq').execute()).toEqual(auditBefore);
    const real = await created();
    expect(real.run.invoices.map(({ invoiceId: _id, ...row }) => row)).toEqual(
      dry.run.invoices.map(({ invoiceId: _id, ...row }) => row),
    );
    expect(real.run.totals).toEqual(dry.run.totals);
  });
});
