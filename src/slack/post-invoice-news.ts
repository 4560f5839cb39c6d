import { messageLink } from '../../blocks/app-home.ts';
import {
  buildDeliveryFailureNotice,
  buildEmailedNotice,
  buildFinalizedNotice,
} from '../../blocks/invoice-news.ts';
import { buildReminderSentNotice, buildRemindersNotSentNotice } from '../../blocks/reminder-news.ts';
import type { Deps } from '../ports/deps.ts';
import { customerTimeZone } from '../calendar/overdue-date.ts';
import {
  describeReminderTime,
  reminderDaysOf,
  reminderDedupeKey,
  reminderDueAt,
} from '../calendar/reminder-schedule.ts';
import { pdfFileName } from '../documents/pdf-file-name.ts';

type NewsDeps = Pick<Deps, 'db' | 'slack' | 'billing'>;

/**
 * Posts the finalized invoice's PDF into its thread once (the file id is its ledger). Invoices
 * approved by policy have no card and no thread: their PDFs are not posted one by one, so a run of
 * 1,000 invoices stays a handful of messages.
 */
export async function postInvoicePdf(deps: NewsDeps, invoiceId: string, pdf: Buffer): Promise<void> {
  const invoice = await deps.db
    .selectFrom('invoices')
    .select(['number', 'total', 'currency', 'slack_channel_id', 'slack_thread_ts', 'pdf_slack_file_id'])
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice?.number == null || invoice.pdf_slack_file_id !== null) return;
  if (invoice.slack_channel_id === null || invoice.slack_thread_ts === null) return;
  const fileId = await deps.slack.upload({
    channel: invoice.slack_channel_id,
    thread_ts: invoice.slack_thread_ts,
    filename: pdfFileName(invoice.number),
    content: pdf,
    title: invoice.number,
    comment: buildFinalizedNotice({
      number: invoice.number,
      total: invoice.total,
      currency: invoice.currency,
    }),
  });
  await deps.db
    .updateTable('invoices')
    .set({ pdf_slack_file_id: fileId ?? 'posted' })
    .where('id', '=', invoiceId)
    .execute();
}

/** Tells the invoice's thread (and, for failures, the alerts channel) what became of its email. */
export async function postDeliveryOutcome(deps: NewsDeps, deliveryId: string): Promise<void> {
  const delivery = await deps.db
    .selectFrom('deliveries')
    .innerJoin('invoices', 'invoices.id', 'deliveries.invoice_id')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .leftJoin('credit_notes', 'credit_notes.id', 'deliveries.credit_note_id')
    .select([
      'credit_notes.number as credit_note_number',
      'deliveries.kind',
      'deliveries.dedupe_key',
      'deliveries.state',
      'deliveries.recipients',
      'deliveries.cc',
      'deliveries.error',
      'deliveries.sent_at',
      'invoices.number',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
      'customers.name',
    ])
    .where('deliveries.id', '=', deliveryId)
    .executeTakeFirst();
  if (delivery === undefined) return;
  const number = delivery.number ?? '';
  const recipients = [...delivery.recipients, ...delivery.cc];
  const thread =
    delivery.slack_channel_id === null || delivery.slack_thread_ts === null
      ? undefined
      : { channel: delivery.slack_channel_id, thread_ts: delivery.slack_thread_ts };
  if (delivery.state === 'sent') {
    if (thread !== undefined) {
      await deps.slack.post({
        ...thread,
        ...(delivery.kind === 'reminder'
          ? buildReminderSentNotice({ number, days: reminderDaysOf(delivery.dedupe_key), recipients })
          : buildEmailedNotice({
              number,
              creditNote: delivery.credit_note_number ?? undefined,
              recipients,
              at: delivery.sent_at ?? new Date(),
            })),
      });
    }
    return;
  }
  if (delivery.state !== 'failed' && delivery.state !== 'uncertain') return;
  const notice = buildDeliveryFailureNotice({
    deliveryId,
    number,
    customerName: delivery.name,
    recipients,
    error: delivery.error ?? 'no reason given',
    state: delivery.state,
    threadLink: thread === undefined ? null : messageLink(thread.channel, thread.thread_ts),
  });
  if (thread !== undefined) await deps.slack.post({ ...thread, ...notice });
  await deps.slack.alert(notice);
}

/**
 * Tells the invoice's thread which reminder steps will never be sent because their time came before it
 * was finalized; only steps whose delivery row is cancelled are named, so the note stays true.
 */
export async function postRemindersNotSent(
  deps: NewsDeps,
  invoiceId: string,
  days: readonly number[],
): Promise<void> {
  const invoice = await deps.db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.number',
      'invoices.due_date',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
      'customers.timezone',
    ])
    .where('invoices.id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice?.number == null || invoice.due_date === null) return;
  if (invoice.slack_channel_id === null || invoice.slack_thread_ts === null) return;
  const cancelled = new Set(
    (
      await deps.db
        .selectFrom('deliveries')
        .select('dedupe_key')
        .where('invoice_id', '=', invoiceId)
        .where('state', '=', 'cancelled')
        .where(
          'dedupe_key',
          'in',
          days.map((day) => reminderDedupeKey(invoiceId, day)),
        )
        .execute()
    ).map((row) => row.dedupe_key),
  );
  const timeZone = customerTimeZone(invoice.timezone, deps.billing.timezone);
  const dueDate = invoice.due_date;
  const steps = [...days]
    .sort((a, b) => a - b)
    .filter((day) => cancelled.has(reminderDedupeKey(invoiceId, day)))
    .map((day) => ({
      days: day,
      at: describeReminderTime(
        reminderDueAt({ days: day }, dueDate, timeZone, deps.billing.reminders.sendAt),
        timeZone,
      ),
    }));
  if (steps.length === 0) return;
  await deps.slack.post({
    channel: invoice.slack_channel_id,
    thread_ts: invoice.slack_thread_ts,
    ...buildRemindersNotSentNotice({ number: invoice.number, steps }),
  });
}
