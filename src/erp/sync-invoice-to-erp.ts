import { createHash } from 'node:crypto';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import type { JsonObject } from '../db/schema.ts';
import { Decimal } from '../money/decimal.ts';
import type { ErpClient, ErpError, ErpInvoiceRef } from './erp-client.ts';
import { loadErpInvoice } from './load-erp-invoice.ts';

export type ErpSyncResult =
  | { code: 'synced'; externalId: string; totalMatches: boolean; erpTotal: string }
  | { code: 'already_synced' }
  /** In flight elsewhere, or failed and waiting for a person's Retry. */
  | { code: 'not_claimed'; state: string }
  | { code: 'retry_later'; error: ErpError }
  | { code: 'failed'; error: ErpError }
  | { code: 'not_found' };

export interface ErpSyncDeps {
  db: Db;
  /** billing.yml as it is now: the ERP mapping is read at sync time, so a fixed mapping takes effect. */
  billing: BillingConfig;
  erp: ErpClient;
  clock: { now(): Date };
  /** The invoice PDF, attached to the ERP invoice once. */
  renderPdf: (invoiceId: string) => Promise<Buffer>;
}

/**
 * Posts one finalized invoice to the ERP exactly once. The ledger row is claimed before any call;
 * the create carries the row's idempotency key; and after any uncertain outcome (timeout, reset, 5xx)
 * the next attempt first looks the invoice up by number and records what it finds, so a retry never
 * makes a second ERP invoice. The PDF is attached once (its own derived key). The ERP's total is
 * compared with ours: a mismatch is reported, never silent.
 */
export async function syncInvoiceToErp(deps: ErpSyncDeps, syncId: string): Promise<ErpSyncResult> {
  const sync = await deps.db.selectFrom('erp_syncs').selectAll().where('id', '=', syncId).executeTakeFirst();
  if (sync === undefined) return { code: 'not_found' };
  if (sync.state === 'synced' && sync.attachment_id !== null) return { code: 'already_synced' };
  if (sync.state === 'synced')
    return attach(deps, sync.id, sync.invoice_id, sync.external_id ?? '', sync.idempotency_key, null);

  const claimed = await deps.db
    .updateTable('erp_syncs')
    .set((eb) => ({
      state: 'in_flight',
      attempts: eb('attempts', '+', 1),
      last_attempt_at: deps.clock.now(),
    }))
    .where('id', '=', syncId)
    .where('state', 'in', ['pending', 'uncertain'])
    .returning(['state'])
    .executeTakeFirst();
  if (claimed === undefined) return { code: 'not_claimed', state: sync.state };

  const source = await loadErpInvoice(deps.db, deps.billing, sync.invoice_id, deps.erp.provider);
  if (source === undefined) {
    return fail(deps, syncId, {
      retryable: false,
      code: 'not_finalized',
      message: 'The invoice is not finalized',
    });
  }

  // After an uncertain attempt the invoice may already be in the ERP: look before creating.
  if (sync.state === 'uncertain' || sync.attempts > 0) {
    const found = await deps.erp.findInvoiceByNumber(source.invoice.number);
    if (!found.ok) return later(deps, syncId, found.error, 'uncertain');
    if (found.value !== null) return recordSynced(deps, sync, found.value, source.invoice.total);
  }

  let contactId = source.knownContactId;
  if (contactId === null) {
    const contact = await deps.erp.findOrCreateContact(source.contact);
    if (!contact.ok)
      return contact.error.retryable
        ? later(deps, syncId, contact.error, 'pending')
        : fail(deps, syncId, contact.error);
    contactId = contact.value.id;
    await deps.db
      .updateTable('customers')
      .set(
        deps.erp.provider === 'xero' ? { xero_contact_id: contactId } : { quickbooks_customer_id: contactId },
      )
      .where('id', '=', source.customerId)
      .execute();
  }

  const request = { ...source.invoice, contactId };
  // NOTE: the key is the ledger row's, per request content: a replay of the same request is deduped by
  // the ERP; a request changed by a fixed mapping gets its own key (Xero refuses a key reused for a
  // different body), and the look-up by number above keeps that from ever making a second invoice.
  const requestKey = derivedKey(
    sync.idempotency_key,
    createHash('sha256').update(JSON.stringify(request)).digest('hex'),
  );
  const created = await deps.erp.createInvoice(request, requestKey);
  if (!created.ok) {
    if (created.error.uncertain === true) return later(deps, syncId, created.error, 'uncertain');
    if (created.error.retryable) return later(deps, syncId, created.error, 'pending');
    return fail(deps, syncId, created.error);
  }
  return recordSynced(deps, sync, created.value, source.invoice.total);
}

async function recordSynced(
  deps: ErpSyncDeps,
  sync: { id: string; invoice_id: string; idempotency_key: string },
  erpInvoice: ErpInvoiceRef,
  ourTotal: string,
): Promise<ErpSyncResult> {
  await deps.db
    .updateTable('erp_syncs')
    .set({
      state: 'synced',
      external_id: erpInvoice.id,
      external_number: erpInvoice.number,
      synced_at: deps.clock.now(),
      error: null,
    })
    .where('id', '=', sync.id)
    .execute();
  const totalMatches = new Decimal(erpInvoice.total).equals(ourTotal);
  return attach(deps, sync.id, sync.invoice_id, erpInvoice.id, sync.idempotency_key, {
    totalMatches,
    erpTotal: erpInvoice.total,
  });
}

async function attach(
  deps: ErpSyncDeps,
  syncId: string,
  invoiceId: string,
  externalId: string,
  idempotencyKey: string,
  totals: { totalMatches: boolean; erpTotal: string } | null,
): Promise<ErpSyncResult> {
  const number = await deps.db
    .selectFrom('invoices')
    .select('number')
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  const attached = await deps.erp.attachPdf(
    externalId,
    `${number?.number ?? invoiceId}.pdf`,
    await deps.renderPdf(invoiceId),
    derivedKey(idempotencyKey, 'pdf'),
  );
  if (!attached.ok) return { code: 'retry_later', error: attached.error };
  await deps.db
    .updateTable('erp_syncs')
    .set({ attachment_id: attached.value.id })
    .where('id', '=', syncId)
    .execute();
  return {
    code: 'synced',
    externalId,
    totalMatches: totals?.totalMatches ?? true,
    erpTotal: totals?.erpTotal ?? '',
  };
}

async function later(
  deps: ErpSyncDeps,
  syncId: string,
  error: ErpError,
  state: 'pending' | 'uncertain',
): Promise<ErpSyncResult> {
  await deps.db
    .updateTable('erp_syncs')
    .set({ state, error: error as unknown as JsonObject })
    .where('id', '=', syncId)
    .execute();
  return { code: 'retry_later', error };
}

async function fail(deps: ErpSyncDeps, syncId: string, error: ErpError): Promise<ErpSyncResult> {
  await deps.db
    .updateTable('erp_syncs')
    .set({ state: 'failed', error: error as unknown as JsonObject })
    .where('id', '=', syncId)
    .execute();
  return { code: 'failed', error };
}

/** A second idempotency key, as a UUID, for a second request about the same ledger row. */
export function derivedKey(key: string, purpose: string): string {
  const hex = createHash('sha256').update(`${key}:${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
