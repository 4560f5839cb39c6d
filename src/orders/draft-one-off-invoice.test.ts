import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertCustomer, insertSubscription } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { testDeps } from '../../test/support/test-deps.ts';
import { requestReview } from '../billing-runs/request-review.ts';
import { parseBillingPeriod, type BillingPeriod } from '../calendar/billing-period.ts';
import { startBillingRun } from '../billing-runs/start-billing-run.ts';
import type { Deps } from '../ports/deps.ts';
import { loadErpInvoice } from '../erp/load-erp-invoice.ts';
import { draftOneOffInvoice, type DraftOneOffInvoiceResult } from './draft-one-off-invoice.ts';
import type { OneOffOrder } from '../queue/one-off-order.ts';

let database: TestDatabase;
let deps: Deps;
/** Jobs with a larger id were queued by the test running now. */
let lastJobBefore = '0';

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database); // clock: 2026-11-03T09:00:00Z
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  lastJobBefore = await lastJobId();
  // NOTE: finalized invoices refuse deletion (a trigger); replica mode skips triggers for the cleanup.
  await database.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const table of [
      'approvals',
      'invoice_lines',
      'invoices',
      'billing_runs',
      'usage_records',
      'subscriptions',
      'customers',
    ] as const) {
      await trx.deleteFrom(table).execute();
    }
  });
});

/** Shopify order #1001: three lines in GBP, prices without VAT, one line with 5.00 off. */
function shopifyOrder(overrides: Partial<OneOffOrder> = {}): OneOffOrder {
  return {
    origin: 'shopify:order:450789469',
    label: 'Shopify order #1001',
    customer: { externalId: 'acme', email: 'billing@acme.example', name: 'Acme Ltd' },
    currency: 'GBP',
    // 23:30 UTC is 00:30 on the 16th in London (BST): the order's day there is the period.
    orderedAt: '2026-10-15T23:30:00Z',
    pricesIncludeTax: false,
    lines: [
      {
        description: 'Blue T-shirt (M)',
        quantity: '2',
        unitPrice: '12.50',
        discount: '5.00',
        sku: 'TS-BLUE-M',
      },
      { description: 'Enamel mug', quantity: '3', unitPrice: '7.99', sku: 'MUG-1' },
      { description: 'Shipping', quantity: '1', unitPrice: '4.95' },
    ],
    mapping: { glAccount: '4000', itemCode: 'SHOP' },
    startedBy: 'webhook:shopify',
    ...overrides,
  };
}

async function drafted(order: OneOffOrder) {
  const result = await draftOneOffInvoice(deps, order);
  if (result.code !== 'drafted') throw new Error(`expected a draft, got ${JSON.stringify(result)}`);
  return result;
}

async function invoiceRow(invoiceId: string) {
  return database.db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
}

let numbered = 0;
/** As if approved and finalized: what "the customer's last invoice" means to the policy. */
async function markFinalized(invoiceId: string): Promise<void> {
  numbered += 1;
  await database.db
    .updateTable('invoices')
    .set({
      status: 'finalized',
      series: 'INV',
      number: `INV-2026-${String(numbered).padStart(5, '0')}`,
      finalized_at: deps.clock.now(),
    })
    .where('id', '=', invoiceId)
    .execute();
}

async function lastJobId(): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    select coalesce(max(id), 0)::text as id from graphile_worker.jobs`.execute(database.db);
  return rows[0]?.id ?? '0';
}

/** Jobs queued since; not the audit anchor, which every run's end shares (one keyed job, see finishDraftedRun). */
async function jobNames(): Promise<string[]> {
  const { rows } = await sql<{ task_identifier: string }>`
    select task_identifier from graphile_worker.jobs
    where id > ${lastJobBefore}::bigint and task_identifier <> 'anchor_audit_log' order by id`.execute(
    database.db,
  );
  return rows.map((row) => row.task_identifier);
}

describe('draftOneOffInvoice', () => {
  it('drafts one invoice for the order: its lines priced per unit, VAT from the tax profile, due by the terms', async () => {
    await insertCustomer(database.db, { external_id: 'acme', name: 'Acme Ltd' });

    const { runId, invoiceId } = await drafted(shopifyOrder());

    // T-shirt 2 × 12.50 = 25.00 less 5.00 → VAT 20% on 20.00 = 4.00
    // Mug 3 × 7.99 = 23.97 → VAT 4.794 → 4.79; shipping 4.95 → VAT 0.99
    // subtotal 53.92, discount 5.00, VAT 9.78, total 53.92 − 5.00 + 9.78 = 58.70
    const invoice = await invoiceRow(invoiceId);
    expect(invoice).toMatchObject({
      run_id: runId,
      origin: 'shopify:order:450789469',
      currency: 'GBP',
      prices_include_tax: false,
      subtotal: '53.92',
      discount_total: '5.00',
      tax_total: '9.78',
      total: '58.70',
      period_start: '2026-10-16',
      period_end: '2026-10-17',
      issue_date: '2026-11-03',
      due_date: '2026-12-03',
      exceptions: [],
      notes: ['Shopify order #1001'],
    });
    const lines = await database.db
      .selectFrom('invoice_lines')
      .selectAll()
      .where('invoice_id', '=', invoiceId)
      .orderBy('position')
      .execute();
    expect(
      lines.map((line) => [
        line.description,
        line.quantity,
        line.unit_amount,
        line.amount,
        line.discount_amount,
        line.tax_rate,
        line.tax_amount,
      ]),
    ).toEqual([
      ['Blue T-shirt (M)', '2', '12.5', '25.00', '5.00', '20', '4.00'],
      ['Enamel mug', '3', '7.99', '23.97', '0.00', '20', '4.79'],
      ['Shipping', '1', '4.95', '4.95', '0.00', '20', '0.99'],
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({
        gl_account_code: '4000',
        erp_item_code: 'SHOP',
        tax_code: 'OUTPUT2',
        subscription_id: null,
        component_code: null,
        period_start: null,
      });
    }
    expect(lines[0]?.calculation).toMatchObject({
      model: 'per_unit',
      quantity: '2',
      exactAmount: '25',
      discounts: [{ label: '5.00 off', amount: '5.00' }],
      tax: { kind: 'standard', rate: '20', label: 'VAT 20%', inclusive: false },
    });

    const run = await database.db
      .selectFrom('billing_runs')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({
      trigger: 'webhook',
      trigger_key: 'shopify:order:450789469',
      period_start: '2026-10-16',
      period_end: '2026-10-17',
      started_by: 'webhook:shopify',
      status: 'awaiting_approval',
      counts: { customers: 1, drafted: 1, withExceptions: 0, nothingToBill: 0, alreadyInvoiced: 0 },
      totals: { GBP: { invoices: 1, subtotal: '53.92', discount: '5.00', tax: '9.78', total: '58.70' } },
    });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'details'])
      .where('subject_id', '=', runId)
      .execute();
    expect(audit).toEqual([
      {
        actor: 'webhook:shopify',
        action: 'billing_run.drafted',
        details: expect.objectContaining({
          scope: 'Shopify order #1001 (acme)',
          policy: { autoApproved: 0, needsReview: 1, blocked: 0 },
        }) as unknown,
      },
    ]);
    expect(await jobNames()).toEqual(['post_run_messages']);
  });

  it('prices tax-inclusive orders by backing the VAT out of each line', async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const { invoiceId } = await drafted(
      shopifyOrder({
        pricesIncludeTax: true,
        lines: [{ description: 'Gift card', quantity: '1', unitPrice: '12.00' }],
      }),
    );
    // 12.00 gross at 20%: VAT 12.00 / 6 = 2.00, net 10.00.
    expect(await invoiceRow(invoiceId)).toMatchObject({
      prices_include_tax: true,
      subtotal: '12.00',
      tax_total: '2.00',
      total: '12.00',
    });
  });

  it("holds a customer's first order for review under the example policy", async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const { invoiceId } = await drafted(shopifyOrder());
    const invoice = await invoiceRow(invoiceId);
    expect(invoice.status).toBe('pending_approval');
    expect(invoice.review_reasons).toEqual([
      { code: 'first_invoice', text: 'First invoice to this customer' },
    ]);
  });

  it('approves a repeat order below the GBP limit automatically, and queues its finalizing', async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const first = await drafted(shopifyOrder());
    // The first order was approved by a person and sent.
    await markFinalized(first.invoiceId);
    lastJobBefore = await lastJobId();

    const repeat = await drafted(
      shopifyOrder({ origin: 'shopify:order:450789470', label: 'Shopify order #1002' }),
    );

    // 58.70 again: under the £1,000 limit and no change against the last order.
    const invoice = await invoiceRow(repeat.invoiceId);
    expect(invoice.status).toBe('approved');
    expect(invoice.review_reasons).toEqual([]);
    const approvals = await database.db
      .selectFrom('approvals')
      .select('decision')
      .where('invoice_id', '=', repeat.invoiceId)
      .execute();
    expect(approvals).toEqual([{ decision: 'auto_approved' }]);
    expect((await jobNames()).sort()).toEqual(['finalize_invoice', 'post_run_messages']);
  });

  it('holds an order at or over the auto-approval limit even for a known customer', async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const first = await drafted(
      shopifyOrder({ lines: [{ description: 'Consulting', quantity: '1', unitPrice: '1000.00' }] }),
    );
    await markFinalized(first.invoiceId);
    const second = await drafted(
      shopifyOrder({
        origin: 'shopify:order:450789470',
        lines: [{ description: 'Consulting', quantity: '1', unitPrice: '1000.00' }],
      }),
    );
    const invoice = await invoiceRow(second.invoiceId);
    expect(invoice.status).toBe('pending_approval');
    expect(invoice.review_reasons).toEqual([
      { code: 'over_threshold', text: 'Total £1,200.00 is at or over the £1,000.00 auto-approval limit' },
    ]);
  });

  it('drafts an order once however often it arrives, at once or one after another', async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const together = await Promise.all([
      draftOneOffInvoice(deps, shopifyOrder()),
      draftOneOffInvoice(deps, shopifyOrder()),
      draftOneOffInvoice(deps, shopifyOrder()),
    ]);
    expect(together.map((result) => result.code).sort()).toEqual(['drafted', 'existing', 'existing']);
    const runIds = new Set(together.map((result) => ('runId' in result ? result.runId : '')));
    expect(runIds.size).toBe(1);

    const [runId] = [...runIds];
    const again: DraftOneOffInvoiceResult[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1)
      again.push(await draftOneOffInvoice(deps, shopifyOrder()));
    // A redelivery with another timestamp (another day) is still the same order.
    again.push(await draftOneOffInvoice(deps, shopifyOrder({ orderedAt: '2026-10-20T10:00:00Z' })));
    expect(again).toEqual(Array.from({ length: 4 }, () => ({ code: 'existing', runId })));
    expect(await database.db.selectFrom('invoices').select('id').execute()).toHaveLength(1);
    expect(await database.db.selectFrom('billing_runs').select('id').execute()).toHaveLength(1);
  });

  it('drafts two orders of one customer on one day as two invoices', async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const first = await drafted(shopifyOrder());
    const second = await drafted(
      shopifyOrder({
        origin: 'hubspot:deal:123',
        label: 'HubSpot deal Acme renewal',
        startedBy: 'webhook:hubspot',
      }),
    );
    expect(second.invoiceId).not.toBe(first.invoiceId);
    const invoices = await database.db
      .selectFrom('invoices')
      .select(['origin', 'period_start', 'period_end'])
      .orderBy('origin')
      .execute();
    expect(invoices).toEqual([
      { origin: 'hubspot:deal:123', period_start: '2026-10-16', period_end: '2026-10-17' },
      { origin: 'shopify:order:450789469', period_start: '2026-10-16', period_end: '2026-10-17' },
    ]);
  });

  it('finds the customer by invoice email when the order carries no known id', async () => {
    await insertCustomer(database.db, { external_id: 'acme', email_to: ['Billing@Acme.example'] });
    const { invoiceId } = await drafted(
      shopifyOrder({ customer: { externalId: '7390123', email: 'billing@acme.example' } }),
    );
    const customer = await database.db
      .selectFrom('invoices')
      .innerJoin('customers', 'customers.id', 'invoices.customer_id')
      .select('customers.external_id')
      .where('invoices.id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    expect(customer.external_id).toBe('acme');
  });

  it('drafts nothing for a customer it does not know, and says what to fix', async () => {
    await insertCustomer(database.db, { external_id: 'globex', email_to: ['ap@globex.example'] });
    const result = await draftOneOffInvoice(
      deps,
      shopifyOrder({ customer: { externalId: '7390123', email: 'billing@acme.example', name: 'Acme Ltd' } }),
    );
    expect(result).toEqual({
      code: 'unknown_customer',
      message:
        'Shopify order #1001: no customer has the id "7390123" or the invoice email billing@acme.example (Acme Ltd); import the customer, or add the address to an existing customer\'s email_to',
    });
    expect(await database.db.selectFrom('invoices').select('id').execute()).toEqual([]);
    expect(await database.db.selectFrom('billing_runs').select('id').execute()).toEqual([]);
    expect(await jobNames()).toEqual([]);
  });

  it('refuses to guess between customers who share the invoice email', async () => {
    await insertCustomer(database.db, { external_id: 'acme-uk', email_to: ['billing@acme.example'] });
    await insertCustomer(database.db, { external_id: 'acme-us', email_to: ['billing@acme.example'] });
    const result = await draftOneOffInvoice(
      deps,
      shopifyOrder({ customer: { email: 'billing@acme.example' } }),
    );
    expect(result).toMatchObject({ code: 'ambiguous_customer' });
    expect('message' in result && result.message).toContain('2 customers have the invoice email');
    expect('message' in result && result.message).toContain('"acme-uk", "acme-us"');
    expect(await database.db.selectFrom('invoices').select('id').execute()).toEqual([]);
  });

  it('flags what the ERP or the customer cannot take, and blocks approval', async () => {
    await insertCustomer(database.db, { external_id: 'acme', email_to: [] });
    const { invoiceId } = await drafted(
      shopifyOrder({
        currency: 'EUR',
        mapping: {},
        lines: [{ description: 'Refund as an order', quantity: '1', unitPrice: '-10.00' }],
      }),
    );
    const invoice = await invoiceRow(invoiceId);
    expect((invoice.exceptions as { code: string }[]).map((exception) => exception.code)).toEqual([
      'no_recipient',
      'currency_mismatch',
      'unmapped_item',
      'negative_total',
    ]);
    expect(invoice.status).toBe('draft');
    const run = await database.db
      .selectFrom('billing_runs')
      .select('counts')
      .where('trigger_key', '=', 'shopify:order:450789469')
      .executeTakeFirstOrThrow();
    expect(run.counts).toMatchObject({ drafted: 1, withExceptions: 1 });
  });

  it('flags, and holds, an order whose total is beyond the largest amount billops drafts', async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    // Each line is within bounds; together they come to 1.2 trillion GBP before VAT.
    const { invoiceId } = await drafted(
      shopifyOrder({
        lines: [
          { description: 'Bulk order A', quantity: '1000000', unitPrice: '600000' },
          { description: 'Bulk order B', quantity: '1000000', unitPrice: '600000' },
        ],
      }),
    );
    const invoice = await invoiceRow(invoiceId);
    expect(invoice.exceptions).toEqual([
      {
        code: 'amount_out_of_range',
        message:
          'The invoice comes to £1,440,000,000,000.00, beyond £999,999,999,999.99, the largest amount billops drafts; check the usage and prices on it, or bill it in parts',
      },
    ]);
    expect(invoice.status).toBe('draft');
  });

  it('leaves recurring billing alone: the month is still billed, and not compared with the order', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme, { plan_code: 'starter' });
    const order = await drafted(shopifyOrder());
    await markFinalized(order.invoiceId);

    const october = parseBillingPeriod('2026-10') as BillingPeriod;
    const monthly = await startBillingRun(deps, {
      period: october,
      scope: { customers: 'all' },
      trigger: 'schedule',
      startedBy: 'schedule:monthly',
    });
    expect(monthly.ok && monthly.run.counts).toMatchObject({ drafted: 1, alreadyInvoiced: 0 });
    const [recurring] = monthly.ok ? monthly.run.invoices : [];
    expect(recurring?.total).toBe('58.80'); // 49.00 + VAT 9.80
    const row = await invoiceRow(recurring?.invoiceId ?? '');
    expect(row.origin).toBeNull();
    // The order's 58.70 is not "the last invoice" of the recurring kind: this is still the first.
    expect(row.review_reasons).toEqual([{ code: 'first_invoice', text: 'First invoice to this customer' }]);

    // A second order inside the billed month is still drafted.
    const later = await draftOneOffInvoice(
      deps,
      shopifyOrder({ origin: 'shopify:order:450789471', orderedAt: '2026-10-20T12:00:00Z' }),
    );
    expect(later.code).toBe('drafted');
    // And the month is not billed twice by a second run over it.
    const again = await startBillingRun(deps, {
      period: october,
      scope: { customers: ['acme'] },
      trigger: 'command',
      startedBy: 'slack:U0FINANCE',
    });
    expect(again.ok && again.run.counts).toMatchObject({ drafted: 0, alreadyInvoiced: 1 });
  });

  it('is not re-priced from subscriptions by /invoice review once rejected', async () => {
    const acme = await insertCustomer(database.db, { external_id: 'acme' });
    await insertSubscription(database.db, acme, { plan_code: 'starter' });
    const { invoiceId } = await drafted(shopifyOrder());
    await database.db
      .updateTable('invoices')
      .set({ status: 'rejected' })
      .where('id', '=', invoiceId)
      .execute();

    const result = await requestReview(deps, { customerExternalId: 'acme', userId: 'U0FINANCE' });

    expect(result.code).toBe('nothing_to_resubmit');
    expect(await invoiceRow(invoiceId)).toMatchObject({ status: 'rejected', total: '58.70' });
  });

  it("gives the ERP the order's account and item codes and the tax profile's tax type", async () => {
    await insertCustomer(database.db, { external_id: 'acme' });
    const { invoiceId } = await drafted(shopifyOrder());
    await markFinalized(invoiceId);

    const erp = await loadErpInvoice(database.db, deps.billing, invoiceId, 'xero');

    expect(
      erp?.invoice.lines.map((line) => [
        line.description,
        line.lineAmount,
        line.accountCode,
        line.itemCode,
        line.taxType,
      ]),
    ).toEqual([
      ['Blue T-shirt (M)', '25.00', '4000', 'SHOP', 'OUTPUT2'],
      ['Enamel mug', '23.97', '4000', 'SHOP', 'OUTPUT2'],
      ['Shipping', '4.95', '4000', 'SHOP', 'OUTPUT2'],
    ]);
    expect(erp?.invoice.total).toBe('58.70');
  });
});
