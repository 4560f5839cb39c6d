import type { Deps } from '../ports/deps.ts';
import { sendInvoiceEmail } from '../delivery/send-invoice-email.ts';
import { composeInvoiceEmail } from '../delivery/compose-invoice-email.ts';
import { postDeliveryOutcome } from '../slack/post-invoice-news.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Sends a delivery at most once (the ledger decides), then says in Slack what became of it. */
export function sendInvoiceEmailTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { deliveryId } = parseJobPayload('send_invoice_email', payload);
    const result = await sendInvoiceEmail(deps, deliveryId, (delivery) =>
      composeInvoiceEmail(deps, delivery),
    );
    switch (result.code) {
      case 'retry_later':
        // Thrown so graphile-worker tries again later, with backoff; the row is back to `queued`.
        throw new Error(`Email not delivered yet (attempt ${result.attempts}): ${result.error}`);
      case 'sent':
      case 'failed':
      case 'uncertain': {
        await postDeliveryOutcome(deps, deliveryId);
        const delivery = await deps.db
          .selectFrom('deliveries')
          .select('invoice_id')
          .where('id', '=', deliveryId)
          .executeTakeFirst();
        if (delivery !== undefined) {
          const invoiceId = delivery.invoice_id;
          await deps.db
            .transaction()
            .execute((trx) =>
              enqueueJob(
                trx,
                'update_invoice_card',
                { invoiceId },
                { jobKey: `card:${invoiceId}`, queueName: `card:${invoiceId}` },
              ),
            );
        }
        return;
      }
      case 'cancelled':
        deps.logger.info({ deliveryId, reason: result.reason }, 'Reminder cancelled before it was sent');
        return;
      case 'already_done':
      case 'not_found':
        return;
    }
  };
}
