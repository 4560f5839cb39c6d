import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { Db } from '../db/database.ts';

export interface StuckDelivery {
  deliveryId: string;
  invoiceId: string;
  lastAttemptAt: Date | null;
}

export const STUCK_DELIVERY_ERROR =
  'billops stopped while this email was being sent, so the customer may or may not have it. ' +
  'Check with them, then mark it sent or send it again.';

/**
 * The sweeper's half of "never send twice": a delivery still `sending` since before `olderThan` was
 * being sent by a worker that died. It may have gone out, so it becomes `uncertain` for a person to
 * settle; it never goes back to `queued`. Returns the rows it changed, for an alert.
 */
export async function markStuckDeliveries(
  db: Db,
  olderThan: Date,
  now: Date = new Date(),
  /** Only these deliveries (a retried send job's own), instead of every stuck one. */
  onlyIds?: readonly string[],
): Promise<StuckDelivery[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('deliveries')
      .set({ state: 'uncertain', error: STUCK_DELIVERY_ERROR })
      .where('state', '=', 'sending')
      .where((eb) => eb.or([eb('last_attempt_at', '<', olderThan), eb('last_attempt_at', 'is', null)]))
      .$if(onlyIds !== undefined, (query) => query.where('id', 'in', onlyIds ?? []))
      .returning(['id', 'invoice_id', 'last_attempt_at', 'attempts'])
      .execute();
    for (const row of rows) {
      await recordAuditEntry(
        trx,
        {
          actor: 'system:delivery-sweeper',
          action: 'delivery.marked_uncertain',
          subjectType: 'delivery',
          subjectId: row.id,
          details: {
            invoiceId: row.invoice_id,
            attempts: row.attempts,
            lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
          },
        },
        now,
      );
    }
    return rows.map((row) => ({
      deliveryId: row.id,
      invoiceId: row.invoice_id,
      lastAttemptAt: row.last_attempt_at,
    }));
  });
}
