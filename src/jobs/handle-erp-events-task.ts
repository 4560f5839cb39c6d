import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Deps } from '../ports/deps.ts';
import { handleErpEvents } from '../payments/pull-erp-payments.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { ERP_PAYMENTS_QUEUE, failIfRetryable, openErpForPayments } from './erp-payments-queue.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

// NOTE: Xero sends an invoice's events in bursts; waiting a few seconds makes them one pull.
const GATHER_MS = 5000;

/** Queues the handling of newly recorded ERP webhook events, in the caller's transaction. */
export async function enqueueErpEventHandling(
  trx: Transaction<Database>,
  now: Date = new Date(),
): Promise<void> {
  await enqueueJob(
    trx,
    'handle_erp_events',
    {},
    {
      queueName: ERP_PAYMENTS_QUEUE,
      jobKey: 'handle-erp-events',
      jobKeyMode: 'preserve_run_at',
      runAt: new Date(now.getTime() + GATHER_MS),
      maxAttempts: 10,
    },
  );
}

/** ERP webhook events: pulls the payments of the invoices they name now; "later" retries the job. */
export function handleErpEventsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('handle_erp_events', payload);
    if (deps.erp === undefined) return;
    const opened = await openErpForPayments(deps, deps.erp);
    if (opened === undefined) return;
    failIfRetryable(await handleErpEvents(deps, opened.client, opened.connection.tenantId));
  };
}
