import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from './enqueue-job.ts';

// NOTE: payment pulls run one at a time (the hourly pull and webhook events alike), beside the ERP's
// posting queue: both share the tenant's call budget in this process.
export const ERP_PAYMENTS_QUEUE = 'erp-payments';

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
