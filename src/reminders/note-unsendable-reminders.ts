import { sql } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { customerTimeZone } from '../calendar/overdue-date.ts';
import { describeReminderTime, reminderDedupeKey, reminderDueAt } from '../calendar/reminder-schedule.ts';
import { messageIdDomain } from '../delivery/invoice-email.ts';
import { reminderMessageId } from '../delivery/reminder-email.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { PAYABLE_STATUSES } from '../payments/invoice-balance.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';

export interface UnsendableReminders {
  invoiceId: string;
  number: string | null;
  /** The steps (days from the due date) whose time came before the invoice was finalized. */
  days: number[];
}

// NOTE: a note about a step that passed before finalization is worth posting soon after the invoice goes
// out; older invoices (billops down for a week, or just deployed) are left alone rather than flooded.
const NOTE_WINDOW_MS = 7 * 86_400_000;

/**
 * Reminder steps that can never be sent because their time came before the invoice was finalized (a
 * "3 days before" step on an invoice due on receipt): each gets a cancelled delivery row under its
 * reminder key, so it is never sent and never noted again, and one job per invoice says so in its
 * thread. Invoices that get no reminders at all (opted out, no address, below the minimum) are skipped.
 */
export async function noteUnsendableReminders(
  deps: Pick<Deps, 'db' | 'billing' | 'clock'>,
): Promise<UnsendableReminders[]> {
  const { steps, sendAt, minimum } = deps.billing.reminders;
  if (steps.length === 0) return [];
  const now = deps.clock.now();
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
    .where('invoices.finalized_at', '>=', new Date(now.getTime() - NOTE_WINDOW_MS))
    .where('invoices.due_date', 'is not', null)
    .whereRef('invoices.total', '>', 'invoices.amount_paid')
    .where('customers.reminders_opt_out', '=', false)
    .where(sql<number>`cardinality(customers.email_to)`, '>', 0)
    .orderBy('invoices.finalized_at')
    .execute();

  const domain = messageIdDomain(deps.billing.seller.email);
  const noted: UnsendableReminders[] = [];
  for (const invoice of invoices) {
    const { due_date: dueDate, finalized_at: finalizedAt } = invoice;
    if (dueDate === null || finalizedAt === null) continue;
    const least = minimum.get(invoice.currency);
    if (least !== undefined && outstandingOf(invoice).lessThan(least)) continue;
    const timeZone = customerTimeZone(invoice.timezone, deps.billing.timezone);
    const missed = steps.filter(
      (step) => reminderDueAt(step, dueDate, timeZone, sendAt).getTime() < finalizedAt.getTime(),
    );
    if (missed.length === 0) continue;
    const days = await deps.db.transaction().execute(async (trx) => {
      const recorded: number[] = [];
      for (const step of missed) {
        const reason = `Not sent: its time (${describeReminderTime(reminderDueAt(step, dueDate, timeZone, sendAt), timeZone)}) came before the invoice was finalized.`;
        // The unique reminder key is the ledger: a step already sent, queued or noted is left as it is.
        const row = await trx
          .insertInto('deliveries')
          .values({
            invoice_id: invoice.id,
            kind: 'reminder',
            dedupe_key: reminderDedupeKey(invoice.id, step.days),
            recipients: invoice.email_to,
            cc: invoice.email_cc,
            message_id: reminderMessageId(invoice.id, step.days, domain),
            state: 'cancelled',
            error: reason,
          })
          .onConflict((conflict) => conflict.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (row === undefined) continue;
        recorded.push(step.days);
        await recordAuditEntry(
          trx,
          {
            actor: 'system:reminders',
            action: 'delivery.cancelled',
            subjectType: 'delivery',
            subjectId: row.id,
            details: { invoiceId: invoice.id, days: step.days, reason },
          },
          now,
        );
      }
      if (recorded.length > 0) {
        await enqueueJob(trx, 'post_reminders_not_sent', { invoiceId: invoice.id, days: recorded });
      }
      return recorded;
    });
    if (days.length > 0) noted.push({ invoiceId: invoice.id, number: invoice.number, days });
  }
  return noted;
}
