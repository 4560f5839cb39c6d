import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';
import { renderInvoicePdf, sha256Of } from '../documents/render-invoice-pdf.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { postInvoicePdf } from '../slack/post-invoice-news.ts';

/**
 * Renders a finalized invoice's PDF, stores its SHA-256, posts it into the invoice's thread and has
 * the card show it. NOTE: rendering is deterministic, so a re-run (or the email rendering it again)
 * gives the same bytes.
 */
export async function publishInvoicePdf(
  deps: Pick<Deps, 'db' | 'billing' | 'slack'>,
  invoiceId: string,
): Promise<'published' | 'not_finalized'> {
  const document = await loadInvoiceDocument(deps.db, deps.billing, invoiceId);
  if (document === undefined) return 'not_finalized';
  const pdf = await renderInvoicePdf(document);
  await deps.db
    .updateTable('invoices')
    .set({ pdf_sha256: sha256Of(pdf) })
    .where('id', '=', invoiceId)
    .execute();
  await postInvoicePdf(deps, invoiceId, pdf);
  await deps.db.transaction().execute((trx) => enqueueCardRefresh(trx, invoiceId));
  return 'published';
}
