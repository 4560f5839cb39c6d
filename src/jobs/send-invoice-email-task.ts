import type { JobHelpers } from 'graphile-worker';
import { deliverInvoiceEmail } from '../delivery/deliver-invoice-email.ts';
import type { Deps } from '../ports/deps.ts';
import { hadEarlierAttempt } from './worker-liveness.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Sends a delivery at most once, then says in Slack what became of it (deliverInvoiceEmail). */
export function sendInvoiceEmailTask(deps: Deps) {
  return async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const { deliveryId } = parseJobPayload('send_invoice_email', payload);
    // NOTE: graphile-worker runs one attempt of a job at a time, so a later attempt means the earlier
    // one is over, however it ended.
    const result = await deliverInvoiceEmail(deps, deliveryId, {
      earlierAttemptEnded: hadEarlierAttempt(helpers.job),
    });
    switch (result.code) {
      case 'retry_later':
        // Thrown so graphile-worker tries again later, with backoff; the row is back to `queued`.
        throw new Error(`Email not delivered yet (attempt ${result.attempts}): ${result.error}`);
      case 'cancelled':
        deps.logger.info({ deliveryId, reason: result.reason }, 'Reminder cancelled before it was sent');
        return;
      case 'sent':
      case 'failed':
      case 'uncertain':
      case 'already_done':
      case 'not_found':
        return;
    }
  };
}
