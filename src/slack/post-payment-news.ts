import { buildPaymentMatchNotice, buildPaymentNotice } from '../../blocks/payment-news.ts';
import type { SlackMessage } from '../../blocks/block-elements.ts';
import type { Deps } from '../ports/deps.ts';
import { toMoneyString } from '../money/rounding.ts';
import { Decimal } from '../money/decimal.ts';

/**
 * Posts a payment's news in its invoice's thread, once each: the payment itself (`payment`), or that
 * the ERP's payment turned out to be this one recorded by hand (`match`). The message ts is stored on
 * the payment, in its own column per kind. Invoices approved by policy have no thread, and their
 * payments are not posted one by one.
 */
export async function postPaymentNews(
  deps: Pick<Deps, 'db' | 'slack'>,
  paymentId: string,
  kind: 'payment' | 'match' = 'payment',
): Promise<void> {
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
      'payments.matched_source',
      'payments.match_slack_ts',
      'invoices.number',
      'invoices.total',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
    ])
    .where('payments.id', '=', paymentId)
    .executeTakeFirst();
  if (row === undefined || row.slack_channel_id === null || row.slack_thread_ts === null) return;
  const ledger = kind === 'payment' ? 'slack_message_ts' : 'match_slack_ts';
  if (row[ledger] !== null) return;
  const number = row.number ?? '';
  let message: SlackMessage;
  if (kind === 'payment') {
    const outstanding = new Decimal(row.total).minus(new Decimal(row.amount_paid_after));
    message = buildPaymentNotice({
      number,
      currency: row.currency,
      amount: row.amount,
      amountPaid: row.amount_paid_after,
      outstanding: toMoneyString(outstanding, row.currency),
      paidOn: row.paid_on,
      source: row.source,
      recordedBy: row.recorded_by,
      paidInFull: outstanding.isZero(),
    });
  } else {
    if (row.matched_source === null) return;
    message = buildPaymentMatchNotice({
      number,
      currency: row.currency,
      amount: row.amount,
      paidOn: row.paid_on,
      recordedBy: row.recorded_by,
      matchedSource: row.matched_source,
    });
  }
  const posted = await deps.slack.post({
    channel: row.slack_channel_id,
    thread_ts: row.slack_thread_ts,
    ...message,
  });
  await deps.db
    .updateTable('payments')
    .set({ [ledger]: posted.ts })
    .where('id', '=', paymentId)
    .execute();
}
