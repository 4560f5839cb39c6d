import { buildPaymentMatchNotice, buildPaymentNotice } from '../../blocks/payment-news.ts';
import type { Deps } from '../deps.ts';
import { toMoneyString } from '../money/rounding.ts';
import { Decimal } from '../money/decimal.ts';

/**
 * Posts a recorded payment in its invoice's thread, once: the message ts is stored on the payment.
 * Invoices approved by policy have no thread, and their payments are not posted one by one.
 */
export async function postPaymentNews(deps: Pick<Deps, 'db' | 'slack'>, paymentId: string): Promise<void> {
  const row = await deps.db
    .selectFrom('payments')
    .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
    .select([
      'payments.amount',
      'payments.currency',
      'payments.paid_on',
      'payments.source',
      'payments.recorded_by',
      'payments.amount_paid_after',
      'payments.slack_message_ts',
      'invoices.number',
      'invoices.total',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
    ])
    .where('payments.id', '=', paymentId)
    .executeTakeFirst();
  if (row === undefined || row.slack_message_ts !== null) return;
  if (row.slack_channel_id === null || row.slack_thread_ts === null) return;
  const outstanding = new Decimal(row.total).minus(new Decimal(row.amount_paid_after));
  const posted = await deps.slack.chat.postMessage({
    channel: row.slack_channel_id,
    thread_ts: row.slack_thread_ts,
    ...buildPaymentNotice({
      number: row.number ?? '',
      currency: row.currency,
      amount: row.amount,
      amountPaid: row.amount_paid_after,
      outstanding: toMoneyString(outstanding, row.currency),
      paidOn: row.paid_on,
      source: row.source,
      recordedBy: row.recorded_by,
      paidInFull: outstanding.isZero(),
    }),
  });
  await deps.db
    .updateTable('payments')
    .set({ slack_message_ts: posted.ts ?? 'posted' })
    .where('id', '=', paymentId)
    .execute();
}

/** Tells the invoice's thread, once, that the ERP's payment is one recorded by hand (counted once). */
export async function postPaymentMatchNews(
  deps: Pick<Deps, 'db' | 'slack'>,
  paymentId: string,
): Promise<void> {
  const row = await deps.db
    .selectFrom('payments')
    .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
    .select([
      'payments.amount',
      'payments.currency',
      'payments.paid_on',
      'payments.recorded_by',
      'payments.matched_source',
      'payments.match_slack_ts',
      'invoices.number',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
    ])
    .where('payments.id', '=', paymentId)
    .executeTakeFirst();
  if (row === undefined || row.matched_source === null || row.match_slack_ts !== null) return;
  if (row.slack_channel_id === null || row.slack_thread_ts === null) return;
  const posted = await deps.slack.chat.postMessage({
    channel: row.slack_channel_id,
    thread_ts: row.slack_thread_ts,
    ...buildPaymentMatchNotice({
      number: row.number ?? '',
      currency: row.currency,
      amount: row.amount,
      paidOn: row.paid_on,
      recordedBy: row.recorded_by,
      matchedSource: row.matched_source,
    }),
  });
  await deps.db
    .updateTable('payments')
    .set({ match_slack_ts: posted.ts ?? 'posted' })
    .where('id', '=', paymentId)
    .execute();
}
