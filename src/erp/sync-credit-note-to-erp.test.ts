import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApprovedInvoice, insertCustomer } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { fixedClock, testDeps } from '../../test/support/test-deps.ts';
import type { Deps } from '../ports/deps.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import { finalizeInvoice } from '../invoices/finalize-invoice.ts';
import { issueCreditNote } from '../invoices/issue-credit-note.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';
import { voidInvoice } from '../invoices/void-invoice.ts';
import { startLocalQuickBooks, type LocalQuickBooks } from '../../test/fakes/quickbooks/index.ts';
import { startLocalXero, type LocalXero } from '../local/xero/index.ts';
import type { ErpClient } from '../ports/erp-client.ts';
import { createQuickBooksClient } from './quickbooks/index.ts';
import { syncCreditNoteToErp } from './sync-credit-note-to-erp.ts';
import { syncInvoiceToErp, type ErpSyncDeps } from './sync-invoices-to-erp.ts';
import { createXeroClient } from './xero/index.ts';

// Credit notes in the ERP, through the real SDKs against the local Xero and QuickBooks: posted once
// with our number, allocated to the invoice in Xero, and never posted for an invoice voided before its
// own sync ran (nor is that invoice).

const APPROVER = 'U0APPROVER1';
let database: TestDatabase;
let deps: Deps;
let xero: LocalXero;
let quickbooks: LocalQuickBooks;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database, { clock: fixedClock('2026-11-21T10:00:00Z') });
  xero = await startLocalXero();
  quickbooks = await startLocalQuickBooks();
});
afterAll(async () => {
  await xero.stop();
  await quickbooks.stop();
  await database.close();
});

const xeroClient = () =>
  createXeroClient({
    session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve(xero.accessToken) },
    apiUrl: xero.apiUrl,
    timeoutMs: 1_000,
  });
const quickBooksClient = () =>
  createQuickBooksClient({
    session: { tenantId: quickbooks.realmId, accessToken: () => Promise.resolve(quickbooks.accessToken) },
    apiUrl: quickbooks.url,
    timeoutMs: 1_000,
  });

function syncDeps(erp: ErpClient): ErpSyncDeps {
  return {
    db: database.db,
    billing: deps.billing,
    erp,
    clock: deps.clock,
    renderPdf: async (invoiceId) => {
      const document = await loadInvoiceDocument(database.db, deps.billing, invoiceId);
      if (document === undefined) throw new Error('not finalized');
      return renderInvoicePdf(document);
    },
  };
}

/** A finalized £120.00 invoice (100.00 + 20.00 VAT, or 10% in the local QuickBooks) and its ledger row. */
async function finalizedInvoice(provider: 'xero' | 'quickbooks') {
  const customerId = await insertCustomer(database.db, {
    // NOTE: no profile for QuickBooks, so the line's own QuickBooks tax code is used.
    tax_profile: provider === 'xero' ? 'gb_vat' : null,
  });
  const id = await insertApprovedInvoice(database.db, {
    customerId,
    taxRate: provider === 'xero' ? 20 : 10,
    taxCode: provider === 'xero' ? 'OUTPUT2' : 'TAX',
    itemCode: provider === 'quickbooks' ? '1' : null,
    accountCode: '200',
  });
  const finalized = await finalizeInvoice(deps, id);
  if (finalized.code !== 'finalized') throw new Error(finalized.code);
  const sync = await database.db
    .insertInto('erp_syncs')
    .values({ invoice_id: id, provider, idempotency_key: randomUUID() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, number: finalized.number, syncId: sync.id };
}

async function creditNote(
  invoiceNumber: string,
  amount: string | undefined,
  provider: 'xero' | 'quickbooks',
) {
  const issued = await issueCreditNote(deps, {
    number: invoiceNumber,
    amount,
    reason: 'two seats were billed twice',
    userId: APPROVER,
  });
  if (issued.code !== 'issued') throw new Error(issued.code);
  const sync = await database.db
    .insertInto('erp_credit_note_syncs')
    .values({ credit_note_id: issued.creditNoteId, provider, idempotency_key: randomUUID() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...issued, syncId: sync.id };
}

async function ledger(syncId: string) {
  return database.db
    .selectFrom('erp_credit_note_syncs')
    .selectAll()
    .where('id', '=', syncId)
    .executeTakeFirstOrThrow();
}

/** The invoice as Xero answers GET Invoices/{id}: what its AmountDue is on the wire. */
async function xeroInvoiceOnTheWire(invoiceId: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${xero.apiUrl}/Invoices/${invoiceId}`, {
    headers: { authorization: `Bearer ${xero.accessToken}`, 'xero-tenant-id': xero.tenantId },
  });
  const body = (await response.json()) as { Invoices: Record<string, unknown>[] };
  const [invoice] = body.Invoices;
  if (invoice === undefined) throw new Error('no invoice');
  return invoice;
}

describe('syncCreditNoteToErp with Xero', () => {
  it('posts an ACCRECCREDIT with our number once and allocates it, so the invoice owes less', async () => {
    const invoice = await finalizedInvoice('xero');
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), invoice.syncId)).toMatchObject({ code: 'synced' });
    const xeroInvoiceId = (
      await database.db
        .selectFrom('erp_syncs')
        .select('external_id')
        .where('id', '=', invoice.syncId)
        .executeTakeFirstOrThrow()
    ).external_id;
    if (xeroInvoiceId === null) throw new Error('not synced');

    const note = await creditNote(invoice.number, '24.00', 'xero');
    const result = await syncCreditNoteToErp(syncDeps(xeroClient()), note.syncId);
    expect(result).toMatchObject({
      code: 'synced',
      allocated: '24.00',
      totalMatches: true,
      erpTotal: '24.00',
    });
    expect(await syncCreditNoteToErp(syncDeps(xeroClient()), note.syncId)).toEqual({
      code: 'already_synced',
    });

    const stored = xero.creditNotes().filter((entry) => entry.creditNoteNumber === note.creditNoteNumber);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      type: 'ACCRECCREDIT',
      status: 'AUTHORISED',
      reference: invoice.number,
      total: '24.00',
      totalTax: '4.00',
    });
    expect(stored[0]?.lineItems[0]).toMatchObject({
      accountCode: '200',
      taxType: 'OUTPUT2',
      lineAmount: '20.00',
    });
    expect(stored[0]?.allocations.map((allocation) => allocation.amount)).toEqual(['24.00']);
    expect(await xeroInvoiceOnTheWire(xeroInvoiceId)).toMatchObject({
      Total: 120,
      AmountCredited: 24,
      AmountDue: 96,
      Status: 'AUTHORISED',
    });
    expect(await ledger(note.syncId)).toMatchObject({
      state: 'synced',
      allocation_state: 'allocated',
      allocated_amount: '24.00',
    });
  });

  it('after a timeout that committed in Xero, finds the credit note on retry instead of making a second', async () => {
    const invoice = await finalizedInvoice('xero');
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), invoice.syncId)).toMatchObject({ code: 'synced' });
    const note = await creditNote(invoice.number, undefined, 'xero');
    const createCalls = () =>
      xero.calls().filter((call) => call.method === 'PUT' && /\/CreditNotes(\?|$)/.test(call.path)).length;
    const createsBefore = createCalls();

    xero.failNext(
      { kind: 'timeout_after_commit', hangMs: 2_000 },
      { method: 'PUT', resource: 'CreditNotes' },
    );
    const uncertain = await syncCreditNoteToErp(syncDeps(xeroClient()), note.syncId);
    expect(uncertain).toMatchObject({ code: 'retry_later', error: { uncertain: true } });
    expect((await ledger(note.syncId)).state).toBe('uncertain');
    expect(
      xero.creditNotes().filter((entry) => entry.creditNoteNumber === note.creditNoteNumber),
    ).toHaveLength(1);

    expect(await syncCreditNoteToErp(syncDeps(xeroClient()), note.syncId)).toMatchObject({
      code: 'synced',
      allocated: '120.00',
    });
    const stored = xero.creditNotes().filter((entry) => entry.creditNoteNumber === note.creditNoteNumber);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.total).toBe('120.00');
    expect(createCalls()).toBe(createsBefore + 1);
    const xeroInvoice = xero.invoices().find((entry) => entry.invoiceNumber === invoice.number);
    expect(xeroInvoice?.status).toBe('PAID');
  });

  it('refuses an allocation above what the invoice owes in the local Xero (its validation, not ours)', async () => {
    const invoice = await finalizedInvoice('xero');
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), invoice.syncId)).toMatchObject({ code: 'synced' });
    const note = await creditNote(invoice.number, '12.00', 'xero');
    expect(await syncCreditNoteToErp(syncDeps(xeroClient()), note.syncId)).toMatchObject({ code: 'synced' });
    const stored = xero.creditNotes().find((entry) => entry.creditNoteNumber === note.creditNoteNumber);
    const xeroInvoice = xero.invoices().find((entry) => entry.invoiceNumber === invoice.number);
    const response = await fetch(`${xero.apiUrl}/CreditNotes/${stored?.creditNoteId ?? ''}/Allocations`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${xero.accessToken}`,
        'xero-tenant-id': xero.tenantId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        Allocations: [{ Invoice: { InvoiceID: xeroInvoice?.invoiceId }, Amount: 1, Date: '2026-11-21' }],
      }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('exceeds the remaining credit');
  });
});

describe('syncCreditNoteToErp with QuickBooks', () => {
  it('posts a CreditMemo with our number as DocNumber, for the customer, once', async () => {
    const invoice = await finalizedInvoice('quickbooks');
    expect(await syncInvoiceToErp(syncDeps(quickBooksClient()), invoice.syncId)).toMatchObject({
      code: 'synced',
    });
    const note = await creditNote(invoice.number, '22.00', 'quickbooks');
    expect(await syncCreditNoteToErp(syncDeps(quickBooksClient()), note.syncId)).toMatchObject({
      code: 'synced',
      erpTotal: '22.00',
      totalMatches: true,
    });
    expect(await syncCreditNoteToErp(syncDeps(quickBooksClient()), note.syncId)).toEqual({
      code: 'already_synced',
    });
    const memos = quickbooks.creditMemos().filter((memo) => memo.DocNumber === note.creditNoteNumber);
    expect(memos).toHaveLength(1);
    const qboInvoice = quickbooks.invoices().find((entry) => entry.DocNumber === invoice.number);
    expect(memos[0]).toMatchObject({
      CustomerRef: { value: (qboInvoice?.CustomerRef as { value: string }).value },
      TotalAmt: 22,
      RemainingCredit: 22,
    });
    const [line] = memos[0]?.Line as Record<string, unknown>[];
    expect(line).toMatchObject({
      DetailType: 'SalesItemLineDetail',
      Amount: 20,
      Description: `Credit against ${invoice.number}: two seats were billed twice`,
    });
  });

  it('a retry after a timeout that committed finds the CreditMemo by number: still one', async () => {
    // NOTE: the local QuickBooks throttles per second like QBO; start this test in a fresh second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const invoice = await finalizedInvoice('quickbooks');
    const synced = await syncInvoiceToErp(syncDeps(quickBooksClient()), invoice.syncId);
    expect(synced, JSON.stringify(synced)).toMatchObject({ code: 'synced' });
    const note = await creditNote(invoice.number, '11.00', 'quickbooks');
    quickbooks.failNext({ kind: 'timeout_after_commit' }, { resource: 'creditmemo' });
    const uncertain = await syncCreditNoteToErp(syncDeps(quickBooksClient()), note.syncId);
    expect(uncertain).toMatchObject({
      code: 'retry_later',
      error: { uncertain: true },
    });
    expect(await syncCreditNoteToErp(syncDeps(quickBooksClient()), note.syncId)).toMatchObject({
      code: 'synced',
    });
    expect(quickbooks.creditMemos().filter((memo) => memo.DocNumber === note.creditNoteNumber)).toHaveLength(
      1,
    );
  });
});

describe('an invoice voided before its sync ran', () => {
  it('is never posted: its ledger row ends skipped, and so does its credit note, with no alert', async () => {
    const invoice = await finalizedInvoice('xero');
    const voided = await voidInvoice(deps, {
      number: invoice.number,
      reason: 'billed the wrong customer',
      userId: APPROVER,
    });
    expect(voided.code).toBe('voided');

    expect(await syncInvoiceToErp(syncDeps(xeroClient()), invoice.syncId)).toEqual({ code: 'skipped' });
    const row = await database.db
      .selectFrom('erp_syncs')
      .select(['state', 'external_id'])
      .where('id', '=', invoice.syncId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'skipped', external_id: null });
    expect(xero.invoices().filter((entry) => entry.invoiceNumber === invoice.number)).toHaveLength(0);
  });

  it('an invoice credited in full (so void) before its sync: neither it nor its credit note is posted', async () => {
    const invoice = await finalizedInvoice('xero');
    const note = await creditNote(invoice.number, undefined, 'xero');
    expect(note.status).toBe('void');
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), invoice.syncId)).toEqual({ code: 'skipped' });
    expect(await syncCreditNoteToErp(syncDeps(xeroClient()), note.syncId)).toEqual({ code: 'skipped' });
    expect(
      xero.creditNotes().filter((entry) => entry.creditNoteNumber === note.creditNoteNumber),
    ).toHaveLength(0);
  });
});
