import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from './enqueue-job.ts';

/**
 * Re-renders an invoice's approval card from the database. NOTE: one queue per card keeps its updates
 * in order, and the job key folds a burst of changes into one chat.update.
 */
export async function enqueueCardRefresh(trx: Transaction<Database>, invoiceId: string): Promise<void> {
  await enqueueJob(
    trx,
    'update_invoice_card',
    { invoiceId },
    { jobKey: `card:${invoiceId}`, queueName: `card:${invoiceId}` },
  );
}
