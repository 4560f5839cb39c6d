import { postCreditNoteToErp } from '../erp/post-credit-note-to-erp.ts';
import { publishCreditNotePdf } from '../invoices/publish-credit-note-pdf.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** A credit note's PDF: rendered, hashed and posted into its invoice's thread once (publishCreditNotePdf). */
export function publishCreditNotePdfTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { creditNoteId } = parseJobPayload('publish_credit_note_pdf', payload);
    await publishCreditNotePdf(deps, creditNoteId);
  };
}

/** A credit note posted to the ERP (postCreditNoteToErp); a retryable failure rejects for backoff. */
export function syncCreditNoteToErpTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { syncId } = parseJobPayload('sync_credit_note_to_erp', payload);
    await postCreditNoteToErp(deps, syncId);
  };
}
