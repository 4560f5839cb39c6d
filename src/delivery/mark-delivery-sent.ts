import type { Kysely } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { Database, DeliveryState } from '../db/schema.ts';
import { loadDelivery } from './delivery-row.ts';

export type MarkDeliverySentResult =
  | { code: 'marked_sent'; deliveryId: string; invoiceId: string; previousState: 'failed' | 'uncertain' }
  | { code: 'already_sent'; deliveryId: string }
  /** Queued or being sent: billops has not finished with it, so a person cannot settle it yet. */
  | { code: 'not_markable'; deliveryId: string; state: DeliveryState }
  | { code: 'not_found' };

/**
 * A person settles an uncertain (or failed) delivery as sent, e.g. after the customer confirmed they
 * have the invoice. One compare-and-set; who did it goes into the audit log.
 */
export async function markDeliverySent(
  db: Kysely<Database>,
  deliveryId: string,
  userId: string,
  options: { now?: Date } = {},
): Promise<MarkDeliverySentResult> {
  const row = await loadDelivery(db, deliveryId);
  if (row === undefined) return { code: 'not_found' };
  if (row.state === 'sent') return { code: 'already_sent', deliveryId };
  if (row.state !== 'failed' && row.state !== 'uncertain') {
    return { code: 'not_markable', deliveryId, state: row.state };
  }
  const previousState = row.state;
  const now = options.now ?? new Date();
  const run = async (trx: Kysely<Database>): Promise<boolean> => {
    const updated = await trx
      .updateTable('deliveries')
      .set({ state: 'sent', sent_at: now })
      .where('id', '=', deliveryId)
      .where('state', '=', previousState)
      .where('attempts', '=', row.attempts)
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) return false;
    await recordAuditEntry(
      trx,
      {
        actor: userId,
        action: 'delivery.marked_sent',
        subjectType: 'delivery',
        subjectId: deliveryId,
        details: { invoiceId: row.invoiceId, previousState, error: row.error },
      },
      now,
    );
    return true;
  };
  const won = db.isTransaction ? await run(db) : await db.transaction().execute(run);
  if (!won) {
    const current = await loadDelivery(db, deliveryId);
    if (current === undefined) return { code: 'not_found' };
    return current.state === 'sent'
      ? { code: 'already_sent', deliveryId }
      : { code: 'not_markable', deliveryId, state: current.state };
  }
  return { code: 'marked_sent', deliveryId, invoiceId: row.invoiceId, previousState };
}
