import type { Deps } from '../ports/deps.ts';
import { finalizeInvoice } from '../invoices/finalize-invoice.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** An approved invoice is numbered and every step after it queued (finalizeInvoice: the table of contents). */
export function finalizeInvoiceTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { invoiceId } = parseJobPayload('finalize_invoice', payload);
    const result = await finalizeInvoice(deps, invoiceId);
    if (result.code === 'not_approved' || result.code === 'not_found') {
      deps.logger.warn({ invoiceId, result }, 'Invoice not finalized: it is not approved');
    }
  };
}
