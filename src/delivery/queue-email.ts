import type { Transaction } from 'kysely';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { invoiceMessageId, messageIdDomain } from './invoice-email.ts';
import { DEFAULT_MAX_ATTEMPTS } from './send-invoice-email.ts';

export interface EmailToQueue {
  invoiceId: string;
  creditNoteId?: string;
  kind: 'invoice' | 'reminder' | 'credit_note';
  /** One email per key, ever: a second queueing of the same key does nothing. */
  dedupeKey: string;
  recipients: string[];
  cc: string[];
  messageId: string;
}

/**
 * Writes an email's delivery ledger row and queues its sending, in the caller's transaction. Returns the
 * delivery's id, or undefined when that email was queued before (the unique dedupe key decides, quietly).
 */
export async function queueEmail(
  trx: Transaction<Database>,
  email: EmailToQueue,
): Promise<string | undefined> {
  const delivery = await trx
    .insertInto('deliveries')
    .values({
      invoice_id: email.invoiceId,
      credit_note_id: email.creditNoteId ?? null,
      kind: email.kind,
      dedupe_key: email.dedupeKey,
      recipients: email.recipients,
      cc: email.cc,
      message_id: email.messageId,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (delivery === undefined) return undefined;
  await enqueueJob(
    trx,
    'send_invoice_email',
    { deliveryId: delivery.id },
    { maxAttempts: DEFAULT_MAX_ATTEMPTS },
  );
  return delivery.id;
}

/**
 * Queues a finalized invoice's email, in the caller's transaction. Returns the delivery's id, or null
 * when the customer has no address to send to.
 */
export async function queueInvoiceEmail(
  trx: Transaction<Database>,
  billing: BillingConfig,
  invoice: { id: string; emailTo: string[]; emailCc: string[] },
): Promise<string | null> {
  if (invoice.emailTo.length === 0) return null;
  const deliveryId = await queueEmail(trx, {
    invoiceId: invoice.id,
    kind: 'invoice',
    dedupeKey: `invoice:${invoice.id}`,
    recipients: invoice.emailTo,
    cc: invoice.emailCc,
    messageId: invoiceMessageId(invoice.id, messageIdDomain(billing.seller.email)),
  });
  return deliveryId ?? null;
}
