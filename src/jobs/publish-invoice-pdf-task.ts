import { publishInvoicePdf } from '../invoices/publish-invoice-pdf.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** A finalized invoice's PDF: rendered, hashed and posted into its thread (publishInvoicePdf). */
export function publishInvoicePdfTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { invoiceId } = parseJobPayload('publish_invoice_pdf', payload);
    await publishInvoicePdf(deps, invoiceId);
  };
}
