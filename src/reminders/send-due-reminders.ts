import { sql } from 'kysely';
import { addDays } from '../calendar/calendar-date.ts';
import type { Deps } from '../ports/deps.ts';
import { reminderMessageId } from '../delivery/reminder-email.ts';
import { queueEmail } from '../delivery/queue-email.ts';
import { messageIdDomain } from '../delivery/invoice-email.ts';
import { customerTimeZone } from '../calendar/overdue-date.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { PAYABLE_STATUSES } from '../payments/invoice-balance.ts';
import { reminderDedupeKey, reminderStepDue } from '../calendar/reminder-schedule.ts';

export interface QueuedReminder {
  invoiceId: string;
  number: string | null;
  days: number;
  deliveryId: string;
  recipients: string[];
}

/**
 * Queues the reminders whose time has come: for each invoice still owed (at least the currency's
 * minimum outstanding, customer not opted out), its latest step now due gets a delivery row and its
 * send job in one transaction. The row's dedupe key is unique, so however often this runs, and on
 * however many instances, each step of each invoice is emailed at most once.
 */
export async function sendDueReminders(
  deps: Pick<Deps, 'db' | 'billing' | 'clock'>,
): Promise<QueuedReminder[]> {
  const { steps, sendAt, minimum } = deps.billing.reminders;
  const first = steps[0];
  const last = steps.at(-1);
  if (first === undefined || last === undefined) return [];
  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);

  // NOTE: a zone's date is within a day of UTC's, and a step over two days late is skipped; so only
  // invoices due in this window can have a step due now.
  const invoices = await deps.db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.currency',
      'invoices.total',
      'invoices.amount_paid',
      'invoices.amount_credited',
      'invoices.due_date',
      'invoices.finalized_at',
      'customers.timezone',
      'customers.email_to',
      'customers.email_cc',
    ])
    .where('invoices.status', 'in', PAYABLE_STATUSES)
    .where('invoices.due_date', '<=', addDays(today, 1 - first.days))
    .where('invoices.due_date', '>=', addDays(today, -last.days - 4))
    .whereRef('invoices.total', '>', 'invoices.amount_paid')
    .where('customers.reminders_opt_out', '=', false)
    .where(sql<number>`cardinality(customers.email_to)`, '>', 0)
    .orderBy('invoices.due_date')
    .execute();

  const due: { invoice: (typeof invoices)[number]; days: number }[] = [];
  for (const invoice of invoices) {
    if (invoice.due_date === null || invoice.finalized_at === null) continue;
    const outstanding = outstandingOf(invoice);
    const least = minimum.get(invoice.currency);
    if (least !== undefined && outstanding.lessThan(least)) continue;
    const step = reminderStepDue(steps, {
      dueDate: invoice.due_date,
      timeZone: customerTimeZone(invoice.timezone, deps.billing.timezone),
      sendAt,
      finalizedAt: invoice.finalized_at,
      now,
    });
    if (step !== undefined) due.push({ invoice, days: step.days });
  }
  if (due.length === 0) return [];

  const existing = new Set(
    (
      await deps.db
        .selectFrom('deliveries')
        .select('dedupe_key')
        .where(
          'dedupe_key',
          'in',
          due.map(({ invoice, days }) => reminderDedupeKey(invoice.id, days)),
        )
        .execute()
    ).map((row) => row.dedupe_key),
  );
  const domain = messageIdDomain(deps.billing.seller.email);
  const queued: QueuedReminder[] = [];
  for (const { invoice, days } of due) {
    const dedupeKey = reminderDedupeKey(invoice.id, days);
    if (existing.has(dedupeKey)) continue;
    // Another instance may have queued it a moment ago: the unique key decides, quietly.
    const deliveryId = await deps.db.transaction().execute((trx) =>
      queueEmail(trx, {
        invoiceId: invoice.id,
        kind: 'reminder',
        dedupeKey,
        recipients: invoice.email_to,
        cc: invoice.email_cc,
        messageId: reminderMessageId(invoice.id, days, domain),
      }),
    );
    if (deliveryId !== undefined) {
      queued.push({
        invoiceId: invoice.id,
        number: invoice.number,
        days,
        deliveryId,
        recipients: [...invoice.email_to, ...invoice.email_cc],
      });
    }
  }
  return queued;
}
