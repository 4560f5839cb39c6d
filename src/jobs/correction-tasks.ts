import type { Deps } from '../ports/deps.ts';
import { voidInvoiceInErp } from '../erp/void-invoice-in-erp.ts';
import { postCreditNoteNews, postVoidNews } from '../slack/post-correction-news.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Voids a voided invoice in the ERP; a retryable failure rejects, so graphile-worker backs off. */
export function voidInvoiceInErpTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { syncId } = parseJobPayload('void_invoice_in_erp', payload);
    await voidInvoiceInErp(deps, syncId);
  };
}

/** Posts a void in its invoice's thread, once. */
export function postVoidNewsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { invoiceId } = parseJobPayload('post_void_news', payload);
    await postVoidNews(deps, invoiceId);
  };
}

/** Posts a credit note in its invoice's thread, once. */
export function postCreditNoteNewsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { creditNoteId } = parseJobPayload('post_credit_note_news', payload);
    await postCreditNoteNews(deps, creditNoteId);
  };
}
