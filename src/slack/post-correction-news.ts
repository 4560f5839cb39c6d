import { buildCreditNoteNotice, buildVoidNotice } from '../../blocks/correction-news.ts';
import type { Deps } from '../ports/deps.ts';
import { Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';

type NewsDeps = Pick<Deps, 'db' | 'slack'>;

/** The approver who voided it, from the audit entry the void wrote. */
async function voidedBy(deps: NewsDeps, invoiceId: string): Promise<string> {
  const entry = await deps.db
    .selectFrom('audit_log')
    .select('actor')
    .where('subject_type', '=', 'invoice')
    .where('subject_id', '=', invoiceId)
    .where('action', '=', 'invoice.voided')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return entry?.actor ?? 'someone';
}

/** Posts a void in its invoice's thread once (invoices.void_slack_ts); invoices without a thread are skipped. */
export async function postVoidNews(deps: NewsDeps, invoiceId: string): Promise<void> {
  const invoice = await deps.db
    .selectFrom('invoices')
    .select(['number', 'status', 'void_reason', 'void_slack_ts', 'slack_channel_id', 'slack_thread_ts'])
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice?.status !== 'void' || invoice.void_slack_ts !== null) return;
  if (invoice.slack_channel_id === null || invoice.slack_thread_ts === null) return;
  const posted = await deps.slack.post({
    channel: invoice.slack_channel_id,
    thread_ts: invoice.slack_thread_ts,
    ...buildVoidNotice({
      number: invoice.number ?? '',
      reason: invoice.void_reason ?? '',
      voidedBy: await voidedBy(deps, invoiceId),
    }),
  });
  await deps.db
    .updateTable('invoices')
    .set({ void_slack_ts: posted.ts })
    .where('id', '=', invoiceId)
    .execute();
}

/** Posts a credit note in its invoice's thread once (credit_notes.slack_message_ts). */
export async function postCreditNoteNews(deps: NewsDeps, creditNoteId: string): Promise<void> {
  const row = await deps.db
    .selectFrom('credit_notes')
    .innerJoin('invoices', 'invoices.id', 'credit_notes.invoice_id')
    .select([
      'credit_notes.number',
      'credit_notes.amount',
      'credit_notes.currency',
      'credit_notes.full_credit',
      'credit_notes.reason',
      'credit_notes.created_by',
      'credit_notes.slack_message_ts',
      'invoices.number as invoice_number',
      'invoices.total',
      'invoices.amount_paid',
      'invoices.amount_credited',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
    ])
    .where('credit_notes.id', '=', creditNoteId)
    .executeTakeFirst();
  if (row === undefined || row.slack_message_ts !== null) return;
  if (row.slack_channel_id === null || row.slack_thread_ts === null) return;
  const owed = Decimal.max(
    0,
    new Decimal(row.total).minus(new Decimal(row.amount_paid)).minus(new Decimal(row.amount_credited)),
  );
  const posted = await deps.slack.post({
    channel: row.slack_channel_id,
    thread_ts: row.slack_thread_ts,
    ...buildCreditNoteNotice({
      creditNoteNumber: row.number,
      invoiceNumber: row.invoice_number ?? '',
      amount: row.amount,
      currency: row.currency,
      full: row.full_credit,
      reason: row.reason,
      createdBy: row.created_by,
      outstanding: toMoneyString(owed, row.currency),
    }),
  });
  await deps.db
    .updateTable('credit_notes')
    .set({ slack_message_ts: posted.ts })
    .where('id', '=', creditNoteId)
    .execute();
}
