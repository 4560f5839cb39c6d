import { loadCreditNoteDocument } from '../documents/load-credit-note-document.ts';
import { renderInvoicePdf, sha256Of } from '../documents/render-invoice-pdf.ts';
import { postCreditNotePdf } from '../erp/post-erp-news.ts';
import type { Deps } from '../ports/deps.ts';

/**
 * Renders a credit note's PDF, stores its SHA-256 and posts it in the invoice's thread. The hash is the
 * ledger: only the run that stores it posts, so a re-run never posts the file twice.
 */
export async function publishCreditNotePdf(
  deps: Pick<Deps, 'db' | 'billing' | 'slack'>,
  creditNoteId: string,
): Promise<'published' | 'already_published' | 'not_found'> {
  const loaded = await loadCreditNoteDocument(deps.db, deps.billing, creditNoteId);
  if (loaded === undefined) return 'not_found';
  const pdf = await renderInvoicePdf(loaded.document);
  const stored = await deps.db
    .updateTable('credit_notes')
    .set({ pdf_sha256: sha256Of(pdf) })
    .where('id', '=', creditNoteId)
    .where('pdf_sha256', 'is', null)
    .executeTakeFirst();
  if (stored.numUpdatedRows === 0n) return 'already_published';
  await postCreditNotePdf(deps, loaded.invoiceId, loaded.document.number, pdf);
  return 'published';
}
