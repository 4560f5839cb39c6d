import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { addDays } from '../calendar/calendar-date.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { customerTimeZone, daysOverdue } from '../calendar/overdue-date.ts';

export interface MarkedOverdue {
  invoiceId: string;
  number: string | null;
  previousStatus: 'finalized' | 'partially_paid';
}

/**
 * Marks invoices overdue once their due date has passed in the customer's time zone and money is still
 * outstanding: finalized or partially paid → overdue (what was paid stays in amount_paid). Each change
 * is one compare-and-set with its audit entry; a second run changes nothing.
 */
export async function markOverdueInvoices(
  deps: Pick<Deps, 'db' | 'billing' | 'clock'>,
): Promise<MarkedOverdue[]> {
  const now = deps.clock.now();
  // NOTE: no zone is more than a day ahead of UTC, so nothing due after UTC's today can be late yet.
  const candidates = await deps.db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select(['invoices.id', 'invoices.number', 'invoices.status', 'invoices.due_date', 'customers.timezone'])
    .where('invoices.status', 'in', ['finalized', 'partially_paid'])
    .where('invoices.due_date', '<', addDays(now.toISOString().slice(0, 10), 1))
    .whereRef('invoices.total', '>', 'invoices.amount_paid')
    .execute();
  const late = candidates.filter(
    (invoice) =>
      invoice.due_date !== null &&
      daysOverdue(invoice.due_date, customerTimeZone(invoice.timezone, deps.billing.timezone), now) > 0,
  );

  const marked: MarkedOverdue[] = [];
  for (const invoice of late) {
    const previousStatus = invoice.status === 'partially_paid' ? 'partially_paid' : 'finalized';
    const changed = await deps.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('invoices')
        .set((eb) => ({ status: 'overdue', version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', invoice.id)
        .where('status', '=', previousStatus)
        .whereRef('total', '>', 'amount_paid')
        .returning('id')
        .executeTakeFirst();
      if (updated === undefined) return false;
      await enqueueCardRefresh(trx, invoice.id);
      await recordAuditEntry(
        trx,
        {
          actor: 'system:overdue',
          action: 'invoice.overdue',
          subjectType: 'invoice',
          subjectId: invoice.id,
          details: { number: invoice.number, dueDate: invoice.due_date, previousStatus },
        },
        now,
      );
      return true;
    });
    if (changed) marked.push({ invoiceId: invoice.id, number: invoice.number, previousStatus });
  }
  return marked;
}
