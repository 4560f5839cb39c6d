import type { JobHelpers } from 'graphile-worker';
import { buildOrderNotDraftedAlert } from '../../blocks/job-alerts.ts';
import type { Deps } from '../ports/deps.ts';
import { draftOneOffInvoice } from '../orders/draft-one-off-invoice.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * A webhook's order becomes a one-off draft invoice (its summary and card follow from post_run_messages).
 * An order whose customer is unknown or ambiguous tells the alerts channel what to fix, with Retry, and
 * then fails: the job, and with it the order, stays in the queue until it drafts or a person gives up on it.
 * NOTE: a task cannot end its own job for good (graphile-worker leaves a running job alone), so the job
 * is also retried on graphile-worker's backoff, which drafts the order by itself once the customer exists;
 * when its attempts run out, the "job gave up" alert with Retry follows.
 */
export function draftOneOffInvoiceTask(deps: Deps) {
  return async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const order = parseJobPayload('draft_one_off_invoice', payload);
    const result = await draftOneOffInvoice(deps, order);
    if (result.code === 'drafted' || result.code === 'existing') return;
    const { job } = helpers;
    // Once per (re)start, and not on a last attempt, whose "gave up" alert says the same with Retry.
    if (job.attempts === 1 && job.attempts < job.max_attempts) {
      await deps.slack.alert({
        ...buildOrderNotDraftedAlert({
          jobId: job.id,
          orderLabel: order.label,
          origin: order.origin,
          problem: result.message,
        }),
      });
    }
    throw new Error(`${order.label} (${order.origin}) was not invoiced: ${result.message}`);
  };
}
