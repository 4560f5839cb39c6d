import type { Deps } from '../deps.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import { syncInvoiceToErp } from '../erp/sync-invoice-to-erp.ts';
import { loadInvoiceDocument } from '../invoices/load-invoice-document.ts';
import { postErpOutcome } from '../slack/post-erp-news.ts';
import { enqueueJob } from './enqueue-job.ts';
import { parseJobPayload } from './job-payloads.ts';

/**
 * Posts one finalized invoice to the ERP through its ledger row. A 429's Retry-After is obeyed by
 * queueing the next attempt for then; other retryable failures are thrown so the runner backs off.
 */
export function syncInvoiceToErpTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { syncId } = parseJobPayload('sync_invoice_to_erp', payload);
    const erp = deps.erp;
    if (erp === undefined) return;
    const result = await syncInvoiceToErp(
      {
        db: deps.db,
        billing: deps.billing,
        erp,
        clock: deps.clock,
        renderPdf: async (invoiceId) => {
          const document = await loadInvoiceDocument(deps.db, deps.billing, invoiceId);
          if (document === undefined) throw new Error(`Invoice ${invoiceId} is not finalized`);
          return renderInvoicePdf(document);
        },
      },
      syncId,
    );
    if (result.code === 'retry_later') {
      const wait = result.error.retryAfterSeconds;
      if (wait === undefined) throw new Error(`ERP not reached yet: ${result.error.message}`);
      await deps.db.transaction().execute((trx) =>
        enqueueJob(
          trx,
          'sync_invoice_to_erp',
          { syncId },
          {
            queueName: `erp:${erp.provider}`,
            runAt: new Date(deps.clock.now().getTime() + wait * 1000),
            maxAttempts: 10,
          },
        ),
      );
      return;
    }
    await postErpOutcome(deps, syncId, result);
  };
}
