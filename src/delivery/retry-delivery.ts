import type { Kysely } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { Database, DeliveryState } from '../db/schema.ts';
import { loadDelivery } from './delivery-row.ts';

export type RetryDeliveryResult =
  | { code: 'queued'; deliveryId: string; invoiceId: string; previousState: 'failed' | 'uncertain' }
  /** The email may already be with the customer: only a person who says so may send it again. */
  | { code: 'needs_confirmation'; deliveryId: string }
  | { code: 'not_retryable'; deliveryId: string; state: DeliveryState }
  | { code: 'not_found' };

export interface RetryDeliveryOptions {
  /** The person was told the customer may already have it, and still wants it sent. */
  confirmUncertain?: boolean;
  now?: Date;
}

/**
 * A person's Retry: a failed delivery (or an uncertain one, once confirmed) goes back to `queued`,
 * attempts counted afresh, in one compare-and-set. Pass a transaction to enqueue the send job with it.
 */
export async function retryDelivery(
  db: Kysely<Database>,
  deliveryId: string,
  userId: string,
  options: RetryDeliveryOptions = {},
): Promise<RetryDeliveryResult> {
  const row = await loadDelivery(db, deliveryId);
  if (row === undefined) return { code: 'not_found' };
  if (row.state === 'uncertain' && options.confirmUncertain !== true) {
    return { code: 'needs_confirmation', deliveryId };
  }
  if (row.state !== 'failed' && row.state !== 'uncertain') {
    return { code: 'not_retryable', deliveryId, state: row.state };
  }
  const previousState = row.state;
  const now = options.now ?? new Date();
  const run = async (trx: Kysely<Database>): Promise<boolean> => {
    const updated = await trx
      .updateTable('deliveries')
      .set({ state: 'queued', attempts: 0, error: null })
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
        action: 'delivery.retry_requested',
        subjectType: 'delivery',
        subjectId: deliveryId,
        details: { invoiceId: row.invoiceId, previousState, attempts: row.attempts, error: row.error },
      },
      now,
    );
    return true;
  };
  const won = db.isTransaction ? await run(db) : await db.transaction().execute(run);
  if (!won) {
    const current = await loadDelivery(db, deliveryId);
    return current === undefined
      ? { code: 'not_found' }
      : { code: 'not_retryable', deliveryId, state: current.state };
  }
  return { code: 'queued', deliveryId, invoiceId: row.invoiceId, previousState };
}
