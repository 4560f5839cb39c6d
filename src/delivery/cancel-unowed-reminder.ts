import type { ExpressionBuilder } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { Db } from '../db/database.ts';
import type { Database, DeliveryState } from '../db/schema.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { PAYABLE_STATUSES } from '../payments/invoice-balance.ts';

// A payment or a void stops a reminder at once: one already queued is cancelled, never sent.

/** True while the delivery's invoice is owed and its customer takes reminders; for a WHERE on deliveries. */
export function reminderStillOwed(eb: ExpressionBuilder<Database, 'deliveries'>) {
  return eb.exists(
    eb
      .selectFrom('invoices')
      .innerJoin('customers', 'customers.id', 'invoices.customer_id')
      .select(eb.lit(1).as('owed'))
      .whereRef('invoices.id', '=', 'deliveries.invoice_id')
      .where('invoices.status', 'in', PAYABLE_STATUSES)
      .whereRef('invoices.total', '>', 'invoices.amount_paid')
      .where('customers.reminders_opt_out', '=', false),
  );
}

export type CancelReminderResult =
  | { code: 'cancelled'; deliveryId: string; reason: string }
  /** The reminder is still wanted, or another worker has it: it was left alone. */
  | { code: 'not_cancelled'; deliveryId: string; state: DeliveryState | undefined };

/** Cancels a queued reminder whose invoice is no longer owed (paid, void, opted out), with the reason. */
export async function cancelUnowedReminder(
  db: Db,
  deliveryId: string,
  now: Date,
): Promise<CancelReminderResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('deliveries')
      .innerJoin('invoices', 'invoices.id', 'deliveries.invoice_id')
      .innerJoin('customers', 'customers.id', 'invoices.customer_id')
      .select([
        'deliveries.state',
        'deliveries.invoice_id',
        'invoices.status',
        'invoices.total',
        'invoices.amount_paid',
        'invoices.amount_credited',
        'customers.reminders_opt_out',
      ])
      .where('deliveries.id', '=', deliveryId)
      .where('deliveries.kind', '=', 'reminder')
      .executeTakeFirst();
    if (row === undefined) return { code: 'not_cancelled', deliveryId, state: undefined };
    const reason =
      row.status === 'void'
        ? 'Not sent: the invoice was voided before this reminder went out.'
        : row.status === 'paid' || outstandingOf(row).lessThanOrEqualTo(0)
          ? 'Not sent: the invoice was paid before this reminder went out.'
          : row.reminders_opt_out
            ? 'Not sent: the customer has opted out of payment reminders.'
            : `Not sent: the invoice is ${row.status.replace(/_/g, ' ')}, so nothing is owed on it.`;
    const cancelled = await trx
      .updateTable('deliveries')
      .set({ state: 'cancelled', error: reason })
      .where('id', '=', deliveryId)
      .where('state', '=', 'queued')
      .where((eb) => eb.not(reminderStillOwed(eb)))
      .returning('id')
      .executeTakeFirst();
    if (cancelled === undefined) return { code: 'not_cancelled', deliveryId, state: row.state };
    await recordAuditEntry(
      trx,
      {
        actor: 'system:reminders',
        action: 'delivery.cancelled',
        subjectType: 'delivery',
        subjectId: deliveryId,
        details: { invoiceId: row.invoice_id, invoiceStatus: row.status, reason },
      },
      now,
    );
    return { code: 'cancelled', deliveryId, reason };
  });
}
