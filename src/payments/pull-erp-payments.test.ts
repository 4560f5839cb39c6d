import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApprovedInvoice, insertCustomer } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { testDeps } from '../../test/support/test-deps.ts';
import { systemClock } from '../deps.ts';
import type { Deps } from '../ports/deps.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import { completeErpConnection, erpAuthorizeLink } from '../erp/connect/connect-erp.ts';
import type { ErpOAuthSettings } from '../ports/erp-gateway.ts';
import { createErpGateway } from '../erp/erp-gateway.ts';
import { syncInvoiceToErp } from '../erp/sync-invoices-to-erp.ts';
import { finalizeInvoice } from '../invoices/finalize-invoice.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';
import { pullErpPaymentsTask } from '../jobs/pull-erp-payments-task.ts';
import { recordPayment } from './record-payment.ts';
import { startLocalQuickBooks, type LocalQuickBooks } from '../../test/fakes/quickbooks/index.ts';

// The hourly pull against QuickBooks Online: billops connected over OAuth to the local QuickBooks,
// invoices posted there by the real sync, payments received there, read back through node-quickbooks.

let database: TestDatabase;
let deps: Deps;
let qbo: LocalQuickBooks;

beforeAll(async () => {
  database = await createTestDatabase();
  qbo = await startLocalQuickBooks();
  const settings: ErpOAuthSettings = {
    provider: 'quickbooks',
    endpoints: {
      clientId: qbo.clientId,
      clientSecret: qbo.clientSecret,
      apiUrl: qbo.url,
      authorizeUrl: qbo.authorizeUrl,
      tokenUrl: qbo.tokenUrl,
      connectionsUrl: '',
    },
    redirectUri: 'https://billops.example.com/erp/callback',
    encryptionKey: Buffer.alloc(32, 7),
  };
  const consent = await fetch(erpAuthorizeLink(settings, 'U0APPROVER1', new Date()), { redirect: 'manual' });
  const query = new URL(consent.headers.get('location') ?? '').searchParams;
  const connected = await completeErpConnection({ db: database.db, clock: systemClock }, settings, query);
  if (!connected.ok) throw new Error(connected.message);
  const base = await testDeps(database, { clock: systemClock });
  deps = { ...base, erp: createErpGateway({ db: database.db, clock: systemClock, oauth: settings }) };
});
afterAll(async () => {
  await qbo.stop();
  await database.close();
});

/** A finalized invoice of 110.00 (100.00 + the local QuickBooks' 10% TAX), posted to QuickBooks. */
async function postedInvoice(
  forCustomer?: string,
): Promise<{ id: string; number: string; customerId: string }> {
  // No tax profile, so the lines' own QuickBooks code (TAX) is used.
  const customerId = forCustomer ?? (await insertCustomer(database.db, { tax_profile: null }));
  const id = await insertApprovedInvoice(database.db, {
    customerId,
    taxRate: 10,
    taxCode: 'TAX',
    itemCode: '1',
    accountCode: '200',
  });
  const finalized = await finalizeInvoice({ ...deps, erp: undefined }, id);
  if (finalized.code !== 'finalized') throw new Error(finalized.code);
  const sync = await database.db
    .insertInto('erp_syncs')
    .values({ invoice_id: id, provider: 'quickbooks', idempotency_key: randomUUID() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const opened = await deps.erp?.open();
  if (opened?.ok !== true) throw new Error('QuickBooks is not connected');
  const synced = await syncInvoiceToErp(
    {
      db: database.db,
      billing: deps.billing,
      erp: opened.client,
      clock: deps.clock,
      renderPdf: async (invoiceId) => {
        const document = await loadInvoiceDocument(database.db, deps.billing, invoiceId);
        if (document === undefined) throw new Error('not finalized');
        return renderInvoicePdf(document);
      },
    },
    sync.id,
  );
  expect(synced).toMatchObject({ code: 'synced', figures: { matches: true } });
  return { id, number: finalized.number, customerId };
}

async function paymentsOf(invoiceId: string) {
  return database.db
    .selectFrom('payments')
    .select(['amount', 'paid_on', 'source', 'external_id', 'recorded_by'])
    .where('invoice_id', '=', invoiceId)
    .orderBy('paid_on')
    .execute();
}

async function statusOf(invoiceId: string) {
  return database.db
    .selectFrom('invoices')
    .select(['status', 'amount_paid'])
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
}

describe('pulling payments from QuickBooks Online', () => {
  it('records a part payment, then the one that settles the invoice, each once however often it pulls', async () => {
    const invoice = await postedInvoice();
    const untouched = await postedInvoice();
    const pull = pullErpPaymentsTask(deps);

    const first = qbo.addPayment(invoice.number, '60.00', '2026-11-19');
    await pull({});
    await pull({});
    expect(await paymentsOf(invoice.id)).toEqual([
      {
        amount: '60.00',
        paid_on: '2026-11-19',
        source: 'quickbooks',
        external_id: first,
        recorded_by: 'system:quickbooks',
      },
    ]);
    expect(await statusOf(invoice.id)).toEqual({ status: 'partially_paid', amount_paid: '60.00' });

    const second = qbo.addPayment(invoice.number, '50', '2026-11-20');
    await pull({});
    await pull({});
    expect(await paymentsOf(invoice.id)).toEqual([
      expect.objectContaining({ amount: '60.00', external_id: first }),
      expect.objectContaining({ amount: '50.00', paid_on: '2026-11-20', external_id: second }),
    ]);
    expect(await statusOf(invoice.id)).toEqual({ status: 'paid', amount_paid: '110.00' });
    expect(await statusOf(untouched.id)).toEqual({ status: 'finalized', amount_paid: '0' });
    expect(await paymentsOf(untouched.id)).toEqual([]);
  });

  it('records each invoice’s share of one payment that settles two', async () => {
    const a = await postedInvoice();
    const b = await postedInvoice(a.customerId);
    const both = qbo.addPayment(a.number, '110.00', '2026-11-20', {
      alsoPays: [{ invoiceNumber: b.number, amount: '10.00' }],
    });
    await pullErpPaymentsTask(deps)({});

    expect(await paymentsOf(a.id)).toEqual([
      expect.objectContaining({ amount: '110.00', external_id: both }),
    ]);
    expect(await paymentsOf(b.id)).toEqual([expect.objectContaining({ amount: '10.00', external_id: both })]);
    expect(await statusOf(a.id)).toMatchObject({ status: 'paid' });
    expect(await statusOf(b.id)).toMatchObject({ status: 'partially_paid', amount_paid: '10.00' });
  });

  it('matches money recorded by hand to the same payment in QuickBooks instead of counting it twice', async () => {
    const invoice = await postedInvoice();
    const pull = pullErpPaymentsTask(deps);
    const byHand = await recordPayment(deps, {
      invoice: { number: invoice.number },
      amount: '40',
      paidOn: '2026-11-18',
      source: 'manual',
      externalId: null,
      recordedBy: 'U0APPROVER1',
    });
    expect(byHand.code).toBe('recorded');

    const same = qbo.addPayment(invoice.number, '40.00', '2026-11-19');
    await pull({});
    await pull({});
    expect(await statusOf(invoice.id)).toEqual({ status: 'partially_paid', amount_paid: '40.00' });
    const matched = await database.db
      .selectFrom('payments')
      .select(['source', 'amount', 'matched_source', 'matched_external_id'])
      .where('invoice_id', '=', invoice.id)
      .execute();
    expect(matched).toEqual([
      { source: 'manual', amount: '40.00', matched_source: 'quickbooks', matched_external_id: same },
    ]);

    // Another payment of the same amount in QuickBooks is more money: nothing by hand is left to match it.
    const second = qbo.addPayment(invoice.number, '40.00', '2026-11-20');
    await pull({});
    expect(await statusOf(invoice.id)).toEqual({ status: 'partially_paid', amount_paid: '80.00' });
    expect(await paymentsOf(invoice.id)).toEqual([
      expect.objectContaining({ source: 'manual', amount: '40.00' }),
      expect.objectContaining({ source: 'quickbooks', amount: '40.00', external_id: second }),
    ]);
  });

  it('takes an equal amount months apart for other money, not the one recorded by hand', async () => {
    const invoice = await postedInvoice();
    await recordPayment(deps, {
      invoice: { number: invoice.number },
      amount: '20.00',
      paidOn: '2026-08-03',
      source: 'manual',
      externalId: null,
      recordedBy: 'U0APPROVER1',
    });
    const later = qbo.addPayment(invoice.number, '20.00', '2026-11-19');
    await pullErpPaymentsTask(deps)({});

    expect(await statusOf(invoice.id)).toEqual({ status: 'partially_paid', amount_paid: '40.00' });
    expect(await paymentsOf(invoice.id)).toEqual([
      expect.objectContaining({ source: 'manual', amount: '20.00', paid_on: '2026-08-03' }),
      expect.objectContaining({ source: 'quickbooks', amount: '20.00', external_id: later }),
    ]);
  });

  it('stops asking about an invoice once it is paid', async () => {
    const calls = () => qbo.calls().filter((call) => call.resource === 'invoice' && call.method === 'GET');
    const before = calls().length;
    await pullErpPaymentsTask(deps)({});
    const unpaid = await database.db
      .selectFrom('invoices')
      .select('id')
      .where('status', 'in', ['finalized', 'partially_paid'])
      .execute();
    expect(calls().length - before).toBe(unpaid.length);
  });
});
