import { queueInvoiceEmail } from '../delivery/queue-email.ts';
import { queueInvoicePdf } from '../documents/queue-invoice-pdf.ts';
import { queueErpPosting } from '../erp/queue-erp-posting.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { issueInvoiceNumber } from './issue-invoice-number.ts';

export type FinalizeInvoiceResult =
  | { code: 'finalized'; number: string; deliveryId: string | null }
  | { code: 'already_finalized'; number: string }
  | { code: 'not_approved'; status: string }
  | { code: 'not_found' };

/**
 * What happens to an approved invoice, in order: the table of contents of everything after approval.
 * One transaction numbers it and writes each later step's ledger row and job, so a crash or error
 * leaves no number taken and nothing queued; each job then does its step at least once, and its
 * ledger row makes it happen once:
 *   1. finalize  issueInvoiceNumber   gapless number, issue and due dates, audit entry
 *   2. PDF       publishInvoicePdf    rendered, hashed, posted into the invoice's thread
 *   3. email     deliverInvoiceEmail  sent once (deliveries row), the outcome told in the thread
 *   4. ERP       postInvoicesToErp    posted in the provider's next batch (erp_syncs row)
 *   5. card      updateInvoiceCard    the card shows the number now, and each outcome as it lands
 */
export async function finalizeInvoice(
  deps: Pick<Deps, 'db' | 'billing' | 'clock' | 'erp'>,
  invoiceId: string,
): Promise<FinalizeInvoiceResult> {
  return deps.db.transaction().execute(async (trx) => {
    const issued = await issueInvoiceNumber(trx, deps, invoiceId);
    if (issued.code !== 'issued') return issued;
    await queueInvoicePdf(trx, invoiceId);
    const deliveryId = await queueInvoiceEmail(trx, deps.billing, issued.invoice);
    await queueErpPosting(trx, deps.erp, invoiceId, deps.clock.now());
    await enqueueCardRefresh(trx, invoiceId);
    return { code: 'finalized', number: issued.number, deliveryId };
  });
}
