import type { Deps } from '../ports/deps.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { retryDelivery, type RetryDeliveryResult } from './retry-delivery.ts';
import { DEFAULT_MAX_ATTEMPTS } from './send-invoice-email.ts';

/**
 * A person's Retry (or "Send again" on an uncertain email, which the button confirms first): the
 * delivery goes back to queued and its send job is queued in the same transaction, so one click is
 * one attempt however often it is clicked.
 */
export async function retryDeliveryFromSlack(
  deps: Pick<Deps, 'db' | 'clock'>,
  deliveryId: string,
  userId: string,
): Promise<RetryDeliveryResult> {
  return deps.db.transaction().execute(async (trx) => {
    const result = await retryDelivery(trx, deliveryId, userId, {
      confirmUncertain: true,
      now: deps.clock.now(),
    });
    if (result.code === 'queued') {
      await enqueueJob(trx, 'send_invoice_email', { deliveryId }, { maxAttempts: DEFAULT_MAX_ATTEMPTS });
    }
    return result;
  });
}
