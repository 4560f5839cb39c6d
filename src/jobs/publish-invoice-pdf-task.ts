import type { Deps } from '../ports/deps.ts';
import { renderInvoicePdf, sha256Of } from '../documents/render-invoice-pdf.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';
import { postInvoicePdf } from '../slack/post-invoice-news.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * Renders a finalized invoice's PDF, stores its SHA-256 and posts it into the invoice's thread.
 * NOTE: rendering is deterministic, so a re-run (or the email job rendering it again) gives the same bytes.
 */
export function publishInvoicePdfTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { invoiceId } = parseJobPayload('publish_invoice_pdf', payload);
    const document = await loadInvoiceDocument(deps.db, deps.billing, invoiceId);
    if (document === undefined) return;
    const pdf = await renderInvoicePdf(document);
    await deps.db
      .updateTable('invoices')
      .set({ pdf_sha256: sha256Of(pdf) })
      .where('id', '=', invoiceId)
      .execute();
    await postInvoicePdf(deps, invoiceId, pdf);
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
  };
}
