import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';

/** Queues a finalized invoice's PDF: rendered, hashed and posted into its thread (publishInvoicePdf). */
export async function queueInvoicePdf(trx: Transaction<Database>, invoiceId: string): Promise<void> {
  await enqueueJob(trx, 'publish_invoice_pdf', { invoiceId }, { jobKey: `pdf:${invoiceId}` });
}
