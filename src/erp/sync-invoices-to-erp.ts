import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import type { Database, JsonObject } from '../db/schema.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { Decimal } from '../money/decimal.ts';
import type { ErpClient, ErpError, ErpInvoiceInput, ErpInvoiceRef, ErpResult } from '../ports/erp-client.ts';
import { loadErpInvoice, type ErpInvoiceSource } from './load-erp-invoice.ts';
import { pdfFileName } from '../documents/pdf-file-name.ts';

export type ErpSyncResult =
  | { code: 'synced'; externalId: string; figures: ErpFigures }
  | { code: 'already_synced' }
  /** Voided here before it reached the ERP: never posted, and nobody needs telling. */
  | { code: 'skipped' }
  /** In flight elsewhere, or failed and waiting for a person's Retry. */
  | { code: 'not_claimed'; state: string }
  | { code: 'retry_later'; error: ErpError }
  | { code: 'failed'; error: ErpError }
  | { code: 'not_found' };

/** The ERP's total and tax beside ours; `matches` only when both are equal to the cent. */
export interface ErpFigures {
  erpTotal: string;
  erpTotalTax: string;
  ourTotal: string;
  ourTotalTax: string;
  matches: boolean;
}

export interface ErpSyncDeps {
  db: Db;
  /** billing.yml as it is now: the ERP mapping is read at sync time, so a fixed mapping takes effect. */
  billing: BillingConfig;
  erp: ErpClient;
  clock: { now(): Date };
  /** The invoice PDF, attached to the ERP invoice once. */
  renderPdf: (invoiceId: string) => Promise<Buffer>;
}

interface Claimed {
  id: string;
  invoiceId: string;
  idempotencyKey: string;
  /** An earlier attempt may have reached the ERP: look the number up before creating. */
  lookFirst: boolean;
}

interface ToCreate {
  sync: Claimed;
  request: ErpInvoiceInput;
}

/** One invoice; see syncInvoicesToErp. */
export async function syncInvoiceToErp(deps: ErpSyncDeps, syncId: string): Promise<ErpSyncResult> {
  return (await syncInvoicesToErp(deps, [syncId])).get(syncId) ?? { code: 'not_found' };
}

/**
 * Posts finalized invoices to the ERP exactly once, creating them in batches (Xero takes 50 per call
 * and reports each on its own, so one bad invoice fails alone), after finding or creating the contacts
 * of all their new customers in one batch too. Each ledger row is claimed before any call; each
 * create carries the row's idempotency key; and after an uncertain outcome (timeout, reset, 5xx) the
 * next attempt first looks the invoice up by number, so a retry never makes a second ERP invoice.
 * The PDF is attached once. The ERP's total is compared with ours: a mismatch is reported.
 */
export async function syncInvoicesToErp(
  deps: ErpSyncDeps,
  syncIds: readonly string[],
): Promise<Map<string, ErpSyncResult>> {
  const results = new Map<string, ErpSyncResult>();
  if (syncIds.length === 0) return results;
  const rows = await deps.db.selectFrom('erp_syncs').selectAll().where('id', 'in', syncIds).execute();
  const toAttach: { syncId: string; invoiceId: string; externalId: string; key: string }[] = [];
  for (const id of syncIds) if (!rows.some((row) => row.id === id)) results.set(id, { code: 'not_found' });
  for (const row of rows) {
    if (row.state === 'synced' && row.attachment_id !== null) results.set(row.id, { code: 'already_synced' });
    else if (row.state === 'synced')
      toAttach.push({
        syncId: row.id,
        invoiceId: row.invoice_id,
        externalId: row.external_id ?? '',
        key: row.idempotency_key,
      });
    else if (!['pending', 'uncertain'].includes(row.state))
      results.set(row.id, { code: 'not_claimed', state: row.state });
  }

  const claimed = await claim(
    deps,
    rows.filter((row) => ['pending', 'uncertain'].includes(row.state)).map((row) => row.id),
  );
  for (const row of rows) {
    if (['pending', 'uncertain'].includes(row.state) && !claimed.some((sync) => sync.id === row.id))
      results.set(row.id, { code: 'not_claimed', state: 'in_flight' });
  }

  const creates: ToCreate[] = [];
  const needContact: { sync: Claimed; source: ErpInvoiceSource }[] = [];
  const voided = await voidedInvoices(
    deps,
    claimed.map((sync) => sync.invoiceId),
  );
  for (const sync of claimed) {
    const source = await loadErpInvoice(deps.db, deps.billing, sync.invoiceId, deps.erp.provider);
    if (source === undefined) {
      results.set(sync.id, await fail(deps, sync.id, notFinalized));
      continue;
    }
    const isVoid = voided.has(sync.invoiceId);
    if (isVoid && !sync.lookFirst) {
      results.set(sync.id, await skip(deps, sync.id));
      continue;
    }
    if (sync.lookFirst) {
      const found = await deps.erp.findInvoiceByNumber(source.invoice.number);
      if (!found.ok) {
        results.set(sync.id, await later(deps, sync.id, found.error, 'uncertain'));
        continue;
      }
      if (found.value === null && isVoid) {
        results.set(sync.id, await skip(deps, sync.id));
        continue;
      }
      if (found.value !== null && isVoid) {
        // An earlier attempt did reach the ERP before the void here: recording it voids it there too
        // (or leaves it to its credit notes, when it was credited in full).
        await recordSynced(deps, sync.id, found.value);
        results.set(sync.id, { code: 'skipped' });
        continue;
      }
      if (found.value !== null) {
        await recordSynced(deps, sync.id, found.value);
        toAttach.push({
          syncId: sync.id,
          invoiceId: sync.invoiceId,
          externalId: found.value.id,
          key: sync.idempotencyKey,
        });
        continue;
      }
    }
    needContact.push({ sync, source });
  }

  const contacts = await contactsFor(
    deps,
    needContact.map(({ source }) => source),
  );
  for (const { sync, source } of needContact) {
    const contact = contacts.get(source.customerId) ?? { ok: false, error: noContact };
    if (!contact.ok) {
      results.set(
        sync.id,
        contact.error.retryable
          ? await later(deps, sync.id, contact.error, 'pending')
          : await fail(deps, sync.id, contact.error),
      );
      continue;
    }
    creates.push({ sync, request: { ...source.invoice, contactId: contact.value.id } });
  }

  const created = await createAll(deps.erp, creates);
  for (const [index, { sync }] of creates.entries()) {
    const outcome = created[index];
    if (outcome === undefined) {
      results.set(sync.id, await later(deps, sync.id, noAnswer, 'uncertain'));
    } else if (!outcome.ok) {
      const { error } = outcome;
      results.set(
        sync.id,
        error.uncertain === true
          ? await later(deps, sync.id, error, 'uncertain')
          : error.retryable
            ? await later(deps, sync.id, error, 'pending')
            : await fail(deps, sync.id, error),
      );
    } else {
      await recordSynced(deps, sync.id, outcome.value);
      toAttach.push({
        syncId: sync.id,
        invoiceId: sync.invoiceId,
        externalId: outcome.value.id,
        key: sync.idempotencyKey,
      });
    }
  }

  await Promise.all(
    toAttach.map(async (item) => {
      results.set(item.syncId, await attach(deps, item));
    }),
  );
  return results;
}

/** One invoice goes alone (QBO's requestid only works outside a batch); more go as a batch. */
async function createAll(erp: ErpClient, creates: readonly ToCreate[]): Promise<ErpResult<ErpInvoiceRef>[]> {
  const requests = creates.map(({ sync, request }) => ({
    input: request,
    idempotencyKey: requestKey(sync, request),
  }));
  const [only] = requests;
  if (requests.length === 1 && only !== undefined)
    return [await erp.createInvoice(only.input, only.idempotencyKey)];
  return requests.length === 0 ? [] : erp.createInvoices(requests);
}

const notFinalized: ErpError = {
  retryable: false,
  code: 'not_finalized',
  message: 'The invoice is not finalized',
};
const noContact: ErpError = {
  retryable: true,
  code: 'no_answer',
  message: "The ERP gave no answer for this customer's contact",
};
const noAnswer: ErpError = {
  retryable: true,
  uncertain: true,
  code: 'no_answer',
  message: 'The ERP gave no answer for this invoice',
};

async function claim(deps: ErpSyncDeps, ids: readonly string[]): Promise<Claimed[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db
    .updateTable('erp_syncs')
    .set((eb) => ({
      state: 'in_flight',
      attempts: eb('attempts', '+', 1),
      last_attempt_at: deps.clock.now(),
    }))
    .where('id', 'in', ids)
    .where('state', 'in', ['pending', 'uncertain'])
    .returning(['id', 'invoice_id', 'idempotency_key', 'attempts'])
    .execute();
  // NOTE: attempts counts claims, so more than one means an earlier attempt may have reached the ERP.
  return rows.map((row) => ({
    id: row.id,
    invoiceId: row.invoice_id,
    idempotencyKey: row.idempotency_key,
    lookFirst: row.attempts > 1,
  }));
}

/**
 * The contact of each invoice's customer, by customer id: the one stored, or found-or-created in one
 * call for every customer of the batch without one (NOTE: Xero allows 60 calls a minute and 5,000 a
 * day; batched, 50 new customers cost a find and a create, not 50 of each). Ids found or made are
 * stored on the customers; a refused contact fails only its own customer's invoices.
 */
async function contactsFor(
  deps: ErpSyncDeps,
  sources: readonly ErpInvoiceSource[],
): Promise<Map<string, ErpResult<{ id: string }>>> {
  const contacts = new Map<string, ErpResult<{ id: string }>>();
  const unknown = new Map<string, ErpInvoiceSource>();
  for (const source of sources) {
    if (source.knownContactId !== null)
      contacts.set(source.customerId, { ok: true, value: { id: source.knownContactId } });
    else unknown.set(source.customerId, source);
  }
  if (unknown.size === 0) return contacts;
  const answers = await deps.erp.findOrCreateContacts([...unknown.values()].map(({ contact }) => contact));
  for (const [customerId, source] of unknown) {
    const answer = answers.get(source.contact.customerKey) ?? { ok: false, error: noContact };
    if (answer.ok) {
      await deps.db
        .updateTable('customers')
        .set(
          deps.erp.provider === 'xero'
            ? { xero_contact_id: answer.value.id }
            : { quickbooks_customer_id: answer.value.id },
        )
        .where('id', '=', customerId)
        .execute();
    }
    contacts.set(customerId, answer);
  }
  return contacts;
}

/**
 * NOTE: the key is the ledger row's, per request content: a replay of the same request is deduped by
 * the ERP; a request changed by a fixed mapping gets its own key (Xero refuses a key reused for a
 * different body), and the look-up by number keeps that from ever making a second invoice.
 */
function requestKey(sync: Claimed, request: ErpInvoiceInput): string {
  return derivedKey(sync.idempotencyKey, createHash('sha256').update(JSON.stringify(request)).digest('hex'));
}

/**
 * Marks the sync done. NOTE: an invoice voided here (by /invoice void) while its posting was on its way
 * (the void saw the sync in flight, not synced, so it asked nothing of the ERP) is voided there now. The share lock on
 * the invoice waits for a void in progress, so either that void sees this sync synced, or this sees it.
 */
async function recordSynced(deps: ErpSyncDeps, syncId: string, erpInvoice: ErpInvoiceRef): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const synced = await trx
      .updateTable('erp_syncs')
      .set({
        state: 'synced',
        external_id: erpInvoice.id,
        external_number: erpInvoice.number,
        synced_at: deps.clock.now(),
        erp_total: erpInvoice.total,
        erp_total_tax: erpInvoice.totalTax,
        error: null,
      })
      .where('id', '=', syncId)
      .returning('invoice_id')
      .executeTakeFirst();
    if (synced === undefined) return;
    await enqueueCardRefresh(trx, synced.invoice_id);
    const invoice = await trx
      .selectFrom('invoices')
      .select(['status', 'amount_credited'])
      .where('id', '=', synced.invoice_id)
      .forShare()
      .executeTakeFirst();
    // NOTE: an invoice credited in full is void too, but its credit notes reverse it in the ERP (they
    // are queued for posting there); voiding it as well would reverse it twice.
    const voidedByHand = invoice?.status === 'void' && new Decimal(invoice.amount_credited).isZero();
    if (voidedByHand) await requestErpVoid(trx, syncId);
  });
}

/**
 * The ERP's figures, as recorded when it was posted, beside ours. A sync recorded before the ERP's
 * figures were kept has none: it is taken as matching (its news was told then).
 */
async function figuresOf(deps: ErpSyncDeps, syncId: string): Promise<ErpFigures> {
  const row = await deps.db
    .selectFrom('erp_syncs')
    .innerJoin('invoices', 'invoices.id', 'erp_syncs.invoice_id')
    .select(['erp_syncs.erp_total', 'erp_syncs.erp_total_tax', 'invoices.total', 'invoices.tax_total'])
    .where('erp_syncs.id', '=', syncId)
    .executeTakeFirstOrThrow();
  const erpTotal = row.erp_total ?? row.total;
  const erpTotalTax = row.erp_total_tax ?? row.tax_total;
  return {
    erpTotal,
    erpTotalTax,
    ourTotal: row.total,
    ourTotalTax: row.tax_total,
    matches: new Decimal(erpTotal).equals(row.total) && new Decimal(erpTotalTax).equals(row.tax_total),
  };
}

async function attach(
  deps: ErpSyncDeps,
  item: { syncId: string; invoiceId: string; externalId: string; key: string },
): Promise<ErpSyncResult> {
  const number = await deps.db
    .selectFrom('invoices')
    .select('number')
    .where('id', '=', item.invoiceId)
    .executeTakeFirst();
  const attached = await deps.erp.attachPdf(
    item.externalId,
    pdfFileName(number?.number ?? item.invoiceId),
    await deps.renderPdf(item.invoiceId),
    derivedKey(item.key, 'pdf'),
  );
  if (!attached.ok) return { code: 'retry_later', error: attached.error };
  await deps.db
    .updateTable('erp_syncs')
    .set({ attachment_id: attached.value.id })
    .where('id', '=', item.syncId)
    .execute();
  return { code: 'synced', externalId: item.externalId, figures: await figuresOf(deps, item.syncId) };
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

/** The invoices among these voided here (a void before the sync ran: they are never posted). */
async function voidedInvoices(deps: ErpSyncDeps, invoiceIds: readonly string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await deps.db
    .selectFrom('invoices')
    .select('id')
    .where('id', 'in', invoiceIds)
    .where('status', '=', 'void')
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** A terminal state with no alert: the invoice was voided before it reached the ERP. */
async function skip(deps: ErpSyncDeps, syncId: string): Promise<ErpSyncResult> {
  await deps.db
    .updateTable('erp_syncs')
    .set({
      state: 'skipped',
      error: {
        retryable: false,
        code: 'voided_before_sync',
        message: 'Voided before it reached the ERP, so it was not posted.',
      } satisfies JsonObject,
    })
    .where('id', '=', syncId)
    .where('state', '=', 'in_flight')
    .execute();
  return { code: 'skipped' };
}

/** The ERP holds an invoice voided here: its void there is queued, as voidInvoice does. */
async function requestErpVoid(trx: Transaction<Database>, syncId: string): Promise<void> {
  const sync = await trx
    .updateTable('erp_syncs')
    .set({ void_state: 'pending' })
    .where('id', '=', syncId)
    .where('void_state', 'is', null)
    .returning(['id', 'provider'])
    .executeTakeFirst();
  if (sync === undefined) return;
  await enqueueJob(
    trx,
    'void_invoice_in_erp',
    { syncId: sync.id },
    { queueName: `erp:${sync.provider}`, maxAttempts: 10 },
  );
}

async function fail(deps: ErpSyncDeps, syncId: string, error: ErpError): Promise<ErpSyncResult> {
  await deps.db.transaction().execute(async (trx) => {
    const failed = await trx
      .updateTable('erp_syncs')
      .set({ state: 'failed', error: error as unknown as JsonObject })
      .where('id', '=', syncId)
      .returning('invoice_id')
      .executeTakeFirst();
    if (failed !== undefined) await enqueueCardRefresh(trx, failed.invoice_id);
  });
  return { code: 'failed', error };
}

/** A second idempotency key, as a UUID, for a second request about the same ledger row. */
export function derivedKey(key: string, purpose: string): string {
  const hex = createHash('sha256').update(`${key}:${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
