import type { JsonObject } from '../db/schema.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import type { Deps } from '../ports/deps.ts';
import type { OpenedErp } from '../ports/erp-gateway.ts';
import { enqueueErpSyncs } from '../queue/enqueue-erp-syncs.ts';
import { pauseErpConnection } from './connect/erp-connections.ts';
import { postErpConnectionNews, postErpOutcome } from './post-erp-news.ts';
import { syncInvoicesToErp, type ErpSyncResult } from './sync-invoices-to-erp.ts';

// NOTE: one ERP batch per run (Xero takes 50 invoices a call), so a run lasts minutes at most under the
// budget and a shutdown is never held up for long; the rest are queued again at once.
const PER_RUN = 50;

/**
 * Posts a batch of finalized invoices to the ERP, and decides what waits: with no usable connection
 * the syncs are held (and the alerts channel told); entries the ERP asked us to hold off (Retry-After,
 * its daily limit) are queued again for that time. Returns one settlement per sync id posted now:
 * it rejects only for a retryable failure with no time given, so the job retries just those.
 */
export async function postInvoicesToErp(
  deps: Deps,
  syncIds: readonly string[],
): Promise<Map<string, Promise<void>>> {
  const settled = new Map<string, Promise<void>>();
  const gateway = deps.erp;
  if (gateway === undefined) return settled;
  const ids = [...new Set(syncIds)];
  const opened = await gateway.open();
  if (!opened.ok) {
    if (opened.code === 'unavailable') throw new Error(opened.message);
    await holdWhileUnopened(deps, gateway.provider, opened, ids);
    return settled;
  }
  if (opened.resumed) await postErpConnectionNews(deps, { kind: 'resumed', provider: gateway.provider });

  const now = deps.clock.now();
  const thisRun = ids.slice(0, PER_RUN);
  await deps.db
    .transaction()
    .execute((trx) => enqueueErpSyncs(trx, gateway.provider, ids.slice(PER_RUN), now));
  const results = await syncInvoicesToErp(
    {
      db: deps.db,
      billing: deps.billing,
      erp: opened.client,
      clock: deps.clock,
      renderPdf: async (invoiceId) => {
        const document = await loadInvoiceDocument(deps.db, deps.billing, invoiceId);
        if (document === undefined) throw new Error(`Invoice ${invoiceId} is not finalized`);
        return renderInvoicePdf(document);
      },
    },
    thisRun,
  );
  await deferWhereAsked(deps, opened.connection.id, gateway.provider, results);
  for (const [syncId, result] of results) settled.set(syncId, settle(deps, syncId, result));
  return settled;
}

/** Synced and failed are told in Slack; a retryable failure with no time given rejects (backoff). */
async function settle(deps: Deps, syncId: string, result: ErpSyncResult): Promise<void> {
  if (result.code === 'retry_later') {
    if (result.error.retryAfterSeconds !== undefined) return;
    throw new Error(`Not posted to the ERP yet: ${result.error.message}`);
  }
  await postErpOutcome(deps, syncId, result);
}

/** Entries the ERP asked to wait (429 after the budget's own waits, or its daily limit) go back for then. */
async function deferWhereAsked(
  deps: Deps,
  connectionId: string,
  provider: 'xero' | 'quickbooks',
  results: Map<string, ErpSyncResult>,
): Promise<void> {
  const now = deps.clock.now();
  const deferred: string[] = [];
  let waitSeconds = 0;
  let daily = false;
  for (const [syncId, result] of results) {
    if (result.code !== 'retry_later' || result.error.retryAfterSeconds === undefined) continue;
    deferred.push(syncId);
    waitSeconds = Math.max(waitSeconds, result.error.retryAfterSeconds);
    daily ||= result.error.code === 'daily_limit';
  }
  if (deferred.length === 0) return;
  const runAt = new Date(now.getTime() + waitSeconds * 1000);
  await deps.db.transaction().execute((trx) => enqueueErpSyncs(trx, provider, deferred, now, runAt));
  if (daily && (await pauseErpConnection(deps.db, connectionId, runAt))) {
    await postErpConnectionNews(deps, { kind: 'paused', provider, until: runAt, waiting: deferred.length });
  }
}

/** No usable connection: the syncs keep waiting (a reconnect queues them again) and the alerts channel is told. */
async function holdWhileUnopened(
  deps: Deps,
  provider: 'xero' | 'quickbooks',
  opened: Exclude<OpenedErp, { ok: true } | { code: 'unavailable' }>,
  ids: string[],
): Promise<void> {
  if (opened.code === 'paused') {
    const now = deps.clock.now();
    await deps.db.transaction().execute((trx) => enqueueErpSyncs(trx, provider, ids, now, opened.until));
    return;
  }
  await deps.db
    .updateTable('erp_syncs')
    .set({ error: { retryable: true, code: opened.code, message: opened.message } satisfies JsonObject })
    .where('id', 'in', ids)
    .execute();
  // NOTE: a dead grant is announced once, by whoever found it dead; "never connected" once per batch.
  if (opened.code === 'needs_reconnect' && !opened.changed) return;
  await postErpConnectionNews(deps, {
    kind: 'needs_connecting',
    provider,
    message: opened.message,
    waiting: ids.length,
  });
}
