import type { Transaction } from 'kysely';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { invoiceMessageId, messageIdDomain } from './invoice-email.ts';
import { DEFAULT_MAX_ATTEMPTS } from './send-invoice-email.ts';

/**
 * Writes a finalized invoice's delivery ledger row and queues its email, in the caller's transaction.
 * Returns the delivery's id, or null when the customer has no address to send to.
 */
export async function queueInvoiceEmail(
  trx: Transaction<Database>,
  billing: BillingConfig,
  invoice: { id: string; emailTo: string[]; emailCc: string[] },
): Promise<string | null> {
  if (invoice.emailTo.length === 0) return null;
  const delivery = await trx
    .insertInto('deliveries')
    .values({
      invoice_id: invoice.id,
      kind: 'invoice',
      dedupe_key: `invoice:${invoice.id}`,
      recipients: invoice.emailTo,
      cc: invoice.emailCc,
      message_id: invoiceMessageId(invoice.id, messageIdDomain(billing.seller.email)),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueueJob(
    trx,
    'send_invoice_email',
    { deliveryId: delivery.id },
    { maxAttempts: DEFAULT_MAX_ATTEMPTS },
  );
  return delivery.id;
}
