import type { Deps } from '../ports/deps.ts';
import { renderInvoicePdf, sha256Of } from '../documents/render-invoice-pdf.ts';
import { syncCreditNoteToErp } from '../erp/sync-credit-note-to-erp.ts';
import { loadCreditNoteDocument } from '../documents/load-credit-note-document.ts';
import { postCreditNoteErpOutcome, postCreditNotePdf } from '../erp/post-erp-news.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * Renders a credit note's PDF, stores its SHA-256 and posts it in the invoice's thread. The hash is the
 * ledger: only the run that stores it posts, so a re-run never posts the file twice.
 */
export function publishCreditNotePdfTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { creditNoteId } = parseJobPayload('publish_credit_note_pdf', payload);
    const loaded = await loadCreditNoteDocument(deps.db, deps.billing, creditNoteId);
    if (loaded === undefined) return;
    const pdf = await renderInvoicePdf(loaded.document);
    const stored = await deps.db
      .updateTable('credit_notes')
      .set({ pdf_sha256: sha256Of(pdf) })
      .where('id', '=', creditNoteId)
      .where('pdf_sha256', 'is', null)
      .executeTakeFirst();
    if (stored.numUpdatedRows === 0n) return;
    await postCreditNotePdf(deps, loaded.invoiceId, loaded.document.number, pdf);
  };
}

/** Posts a credit note to the ERP; a retryable failure (or an invoice not there yet) rejects for backoff. */
export function syncCreditNoteToErpTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { syncId } = parseJobPayload('sync_credit_note_to_erp', payload);
    const gateway = deps.erp;
    if (gateway === undefined) return;
    const opened = await gateway.open();
    if (!opened.ok) throw new Error(`Credit note not posted to the ERP yet: ${opened.message}`);
    const result = await syncCreditNoteToErp(
      { db: deps.db, billing: deps.billing, erp: opened.client, clock: deps.clock },
      syncId,
    );
    if (result.code === 'retry_later')
      throw new Error(`Credit note not posted to the ERP yet: ${result.error.message}`);
    if (result.code === 'waiting') throw new Error(result.message);
    await postCreditNoteErpOutcome(deps, syncId, result);
  };
}
