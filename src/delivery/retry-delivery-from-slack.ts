import { claimSlackRequest, type SlackRequest } from '../events/claim-slack-request.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { retryDelivery, type RetryDeliveryResult } from './retry-delivery.ts';
import { DEFAULT_MAX_ATTEMPTS } from './send-invoice-email.ts';

/**
 * A person's Retry (or "Send again" on an uncertain email, which the button confirms first): the
 * delivery goes back to queued and its send job is queued in the same transaction, so one click is
 * one attempt however often it is clicked. The click is claimed in that transaction too: a redelivered
 * click queues nothing, even after the attempt it asked for has failed again.
 */
export async function retryDeliveryFromSlack(
  deps: Pick<Deps, 'db' | 'clock'>,
  deliveryId: string,
  userId: string,
  request: SlackRequest,
): Promise<RetryDeliveryResult | { code: 'duplicate_request' }> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimSlackRequest(trx, request))) return { code: 'duplicate_request' } as const;
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
