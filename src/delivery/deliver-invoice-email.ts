import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { postDeliveryOutcome } from '../slack/post-invoice-news.ts';
import { composeInvoiceEmail } from './compose-invoice-email.ts';
import { sendInvoiceEmail, type DeliveryResult } from './send-invoice-email.ts';

/**
 * Sends a delivery's email at most once (the ledger decides), then tells the invoice's thread (and,
 * for a failure, the alerts channel) what became of it and has the card show it.
 */
export async function deliverInvoiceEmail(deps: Deps, deliveryId: string): Promise<DeliveryResult> {
  const result = await sendInvoiceEmail(deps, deliveryId, (delivery) => composeInvoiceEmail(deps, delivery));
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
