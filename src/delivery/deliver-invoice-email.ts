import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { postDeliveryOutcome } from '../slack/post-invoice-news.ts';
import { composeInvoiceEmail } from './compose-invoice-email.ts';
import { markStuckDeliveries, STUCK_DELIVERY_ERROR } from './mark-stuck-deliveries.ts';
import { sendInvoiceEmail, type DeliveryResult } from './send-invoice-email.ts';

/**
 * Sends a delivery's email at most once (the ledger decides), then tells the invoice's thread (and,
 * for a failure, the alerts channel) what became of it and has the card show it.
 */
export async function deliverInvoiceEmail(
  deps: Deps,
  deliveryId: string,
  options: { earlierAttemptEnded?: boolean } = {},
): Promise<DeliveryResult> {
  const result =
    (options.earlierAttemptEnded === true ? await abandonedSend(deps, deliveryId) : undefined) ??
    (await sendInvoiceEmail(deps, deliveryId, (delivery) => composeInvoiceEmail(deps, delivery)));
  if (result.code !== 'sent' && result.code !== 'failed' && result.code !== 'uncertain') return result;
  await postDeliveryOutcome(deps, deliveryId);
  const delivery = await deps.db
    .selectFrom('deliveries')
    .select('invoice_id')
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (delivery !== undefined) {
    await deps.db.transaction().execute((trx) => enqueueCardRefresh(trx, delivery.invoice_id));
  }
  return result;
}

/**
 * The delivery, if an earlier attempt of this same send job claimed it (`sending`) and ended without
 * recording what happened (its connection died, its process was killed): that attempt is over, so the
 * email may or may not have gone out. It becomes `uncertain` for a person now, rather than when the
 * sweeper finds it 15 minutes later; never `queued`, so it is never sent twice.
 */
async function abandonedSend(deps: Deps, deliveryId: string): Promise<DeliveryResult | undefined> {
  const now = deps.clock.now();
  const [stuck] = await markStuckDeliveries(deps.db, now, now, [deliveryId]);
  return stuck === undefined ? undefined : { code: 'uncertain', deliveryId, error: STUCK_DELIVERY_ERROR };
}
