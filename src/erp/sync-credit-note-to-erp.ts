import { createHash } from 'node:crypto';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import type { JsonObject } from '../db/schema.ts';
import { Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import type { ErpClient, ErpCreditNoteInput, ErpCreditNoteRef, ErpError } from '../ports/erp-client.ts';
import { loadErpInvoice, type ErpInvoiceSource } from './load-erp-invoice.ts';
import { derivedKey } from './sync-invoices-to-erp.ts';

export type CreditNoteSyncResult =
  | { code: 'synced'; externalId: string; allocated: string; totalMatches: boolean; erpTotal: string }
  | { code: 'already_synced' }
  /** Its invoice never went to the ERP (voided before its sync): neither does the credit note. */
  | { code: 'skipped' }
  /** Its invoice is not in the ERP yet: try again later. */
  | { code: 'waiting'; message: string }
  | { code: 'not_claimed'; state: string }
  | { code: 'retry_later'; error: ErpError }
  | { code: 'failed'; error: ErpError }
  | { code: 'not_found' };

export interface CreditNoteSyncDeps {
  db: Db;
  billing: BillingConfig;
  erp: ErpClient;
  clock: { now(): Date };
}

/**
 * Posts a credit note to the ERP exactly once, then allocates it to its invoice there once. The ledger
 * row (erp_credit_note_syncs) is claimed before any call; the create carries a key derived from the
 * row; after an uncertain outcome the next attempt looks the number up first, so a retry never makes a
 * second credit note. The allocation reads what is left on both sides first, so it never doubles.
 */
export async function syncCreditNoteToErp(
  deps: CreditNoteSyncDeps,
  syncId: string,
): Promise<CreditNoteSyncResult> {
  const row = await deps.db
    .selectFrom('erp_credit_note_syncs')
    .innerJoin('credit_notes', 'credit_notes.id', 'erp_credit_note_syncs.credit_note_id')
    .select([
      'erp_credit_note_syncs.state',
      'erp_credit_note_syncs.provider',
      'erp_credit_note_syncs.idempotency_key',
      'erp_credit_note_syncs.external_id',
      'erp_credit_note_syncs.allocation_state',
      'credit_notes.invoice_id',
      'credit_notes.number',
      'credit_notes.amount',
      'credit_notes.tax_amount',
      'credit_notes.reason',
      'credit_notes.issue_date',
    ])
    .where('erp_credit_note_syncs.id', '=', syncId)
    .executeTakeFirst();
  if (row === undefined) return { code: 'not_found' };
  const invoiceSync = await deps.db
    .selectFrom('erp_syncs')
    .select(['state', 'external_id'])
    .where('invoice_id', '=', row.invoice_id)
    .where('provider', '=', row.provider)
    .executeTakeFirst();
  const invoiceExternalId = invoiceSync?.external_id ?? null;

  if (row.state === 'synced') {
    if (row.allocation_state !== 'pending' || row.external_id === null || invoiceExternalId === null)
      return { code: 'already_synced' };
    return allocate(deps, syncId, row, row.external_id, invoiceExternalId, undefined);
  }
  if (row.state !== 'pending' && row.state !== 'uncertain') return { code: 'not_claimed', state: row.state };
  if (invoiceSync === undefined || invoiceSync.state === 'skipped') {
    await deps.db
      .updateTable('erp_credit_note_syncs')
      .set({ state: 'skipped' })
      .where('id', '=', syncId)
      .where('state', 'in', ['pending', 'uncertain'])
      .execute();
    return { code: 'skipped' };
  }
  if (invoiceSync.state !== 'synced' || invoiceExternalId === null) {
    return {
      code: 'waiting',
      message: `Credit note ${row.number} waits for its invoice to reach the ERP (its sync is ${invoiceSync.state}).`,
    };
  }

  const claimed = await deps.db
    .updateTable('erp_credit_note_syncs')
    .set((eb) => ({
      state: 'in_flight',
      attempts: eb('attempts', '+', 1),
      last_attempt_at: deps.clock.now(),
    }))
    .where('id', '=', syncId)
    .where('state', 'in', ['pending', 'uncertain'])
    .returning('attempts')
    .executeTakeFirst();
  if (claimed === undefined) return { code: 'not_claimed', state: 'in_flight' };

  const source = await loadErpInvoice(deps.db, deps.billing, row.invoice_id, row.provider);
  if (source === undefined) return fail(deps, syncId, invoiceGone(row.number));
  if (source.knownContactId === null) return fail(deps, syncId, noContact(row.number));

  // NOTE: attempts counts claims, so more than one means an earlier attempt may have reached the ERP.
  if (claimed.attempts > 1) {
    const found = await deps.erp.findCreditNoteByNumber(row.number);
    if (!found.ok) return later(deps, syncId, found.error, 'uncertain');
    if (found.value !== null) {
      await recordSynced(deps, syncId, found.value);
      return allocate(deps, syncId, row, found.value.id, invoiceExternalId, found.value);
    }
  }

  const input = creditNoteInput(source, source.knownContactId, row);
  const key = derivedKey(
    row.idempotency_key,
    createHash('sha256').update(JSON.stringify(input)).digest('hex'),
  );
  const created = await deps.erp.createCreditNote(input, key);
  if (!created.ok) {
    const { error } = created;
    return error.uncertain === true
      ? later(deps, syncId, error, 'uncertain')
      : error.retryable
        ? later(deps, syncId, error, 'pending')
        : fail(deps, syncId, error);
  }
  await recordSynced(deps, syncId, created.value);
  return allocate(deps, syncId, row, created.value.id, invoiceExternalId, created.value);
}

interface NoteRow {
  number: string;
  amount: string;
  tax_amount: string;
  reason: string;
  issue_date: string;
  idempotency_key: string;
}

/**
 * The credit note in the ERP's terms. A credit of the whole invoice repeats its lines (so the tax
 * reverses line by line); a partial credit is one line, "Credit against INV-…: <reason>", booked like
 * the invoice's first line (its account, item, tax type and tracking), net or gross as the invoice is.
 */
export function creditNoteInput(
  source: ErpInvoiceSource,
  contactId: string,
  note: Pick<NoteRow, 'number' | 'amount' | 'tax_amount' | 'reason' | 'issue_date'>,
): ErpCreditNoteInput {
  const { invoice } = source;
  const amount = new Decimal(note.amount);
  const tax = new Decimal(note.tax_amount);
  const base = {
    number: note.number,
    invoiceNumber: invoice.number,
    contactId,
    currency: invoice.currency,
    issueDate: note.issue_date,
    pricesIncludeTax: invoice.pricesIncludeTax,
    total: toMoneyString(amount, invoice.currency),
    totalTax: toMoneyString(tax, invoice.currency),
  };
  if (amount.equals(invoice.total)) return { ...base, lines: invoice.lines };
  const [first] = invoice.lines;
  const shown = toMoneyString(invoice.pricesIncludeTax ? amount : amount.minus(tax), invoice.currency);
  return {
    ...base,
    lines: [
      {
        description: `Credit against ${invoice.number}: ${note.reason}`,
        quantity: '1',
        unitAmount: shown,
        lineAmount: shown,
        discountAmount: '0',
        taxAmount: toMoneyString(tax, invoice.currency),
        accountCode: first?.accountCode,
        itemCode: first?.itemCode,
        taxType: first?.taxType,
        tracking: first?.tracking ?? {},
      },
    ],
  };
}

async function allocate(
  deps: CreditNoteSyncDeps,
  syncId: string,
  row: NoteRow,
  externalId: string,
  invoiceExternalId: string,
  ref: ErpCreditNoteRef | undefined,
): Promise<CreditNoteSyncResult> {
  const allocated = await deps.erp.allocateCreditNote(
    externalId,
    invoiceExternalId,
    row.amount,
    derivedKey(row.idempotency_key, 'allocation'),
  );
  if (!allocated.ok) {
    if (allocated.error.retryable) {
      await deps.db
        .updateTable('erp_credit_note_syncs')
        .set({ error: allocated.error as unknown as JsonObject })
        .where('id', '=', syncId)
        .execute();
      return { code: 'retry_later', error: allocated.error };
    }
    await deps.db
      .updateTable('erp_credit_note_syncs')
      .set({ allocation_state: 'failed', error: allocated.error as unknown as JsonObject })
      .where('id', '=', syncId)
      .execute();
    return { code: 'failed', error: allocated.error };
  }
  await deps.db
    .updateTable('erp_credit_note_syncs')
    .set({ allocation_state: 'allocated', allocated_amount: allocated.value.amount, error: null })
    .where('id', '=', syncId)
    .where('allocation_state', '=', 'pending')
    .execute();
  const erpTotal = ref?.total ?? row.amount;
  return {
    code: 'synced',
    externalId,
    allocated: allocated.value.amount,
    totalMatches: new Decimal(erpTotal).equals(row.amount),
    erpTotal,
  };
}

async function recordSynced(deps: CreditNoteSyncDeps, syncId: string, ref: ErpCreditNoteRef): Promise<void> {
  await deps.db
    .updateTable('erp_credit_note_syncs')
    .set({ state: 'synced', external_id: ref.id, synced_at: deps.clock.now(), error: null })
    .where('id', '=', syncId)
    .execute();
}

async function later(
  deps: CreditNoteSyncDeps,
  syncId: string,
  error: ErpError,
  state: 'pending' | 'uncertain',
): Promise<CreditNoteSyncResult> {
  await deps.db
    .updateTable('erp_credit_note_syncs')
    .set({ state, error: error as unknown as JsonObject })
    .where('id', '=', syncId)
    .execute();
  return { code: 'retry_later', error };
}

async function fail(
  deps: CreditNoteSyncDeps,
  syncId: string,
  error: ErpError,
): Promise<CreditNoteSyncResult> {
  await deps.db
    .updateTable('erp_credit_note_syncs')
    .set({ state: 'failed', error: error as unknown as JsonObject })
    .where('id', '=', syncId)
    .execute();
  return { code: 'failed', error };
}

function invoiceGone(number: string): ErpError {
  return {
    retryable: false,
    code: 'not_finalized',
    message: `The invoice credited by ${number} is not finalized`,
  };
}

function noContact(number: string): ErpError {
  return {
    retryable: false,
    code: 'no_contact',
    message: `The customer of ${number} has no contact in the ERP yet, so the credit note cannot name one`,
  };
}
