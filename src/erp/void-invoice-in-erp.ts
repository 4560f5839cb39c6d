import { messageLink } from '../../blocks/app-home.ts';
import { buildErpVoidNotice } from '../../blocks/correction-news.ts';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { JsonObject } from '../db/schema.ts';
import type { Deps } from '../ports/deps.ts';
import type { ErpError } from '../ports/erp-client.ts';

export type ErpVoidResult =
  | { code: 'voided'; alreadyVoid: boolean }
  /** Done already, refused already, or never asked for: nothing to do. */
  | { code: 'not_pending' }
  | { code: 'failed'; error: ErpError };

/**
 * Voids in the ERP an invoice voided here (its erp_syncs row has void_state pending), once. The
 * outcome goes in the invoice's thread; a refusal (Xero holds a payment, say) also goes to the alerts
 * channel. A retryable failure throws so the job is tried again with backoff; the adapter reads the
 * invoice before voiding, so a retry after a lost answer finds it void and changes nothing.
 */
export async function voidInvoiceInErp(
  deps: Pick<Deps, 'db' | 'erp' | 'clock' | 'slack' | 'billing'>,
  syncId: string,
): Promise<ErpVoidResult> {
  const row = await deps.db
    .selectFrom('erp_syncs')
    .innerJoin('invoices', 'invoices.id', 'erp_syncs.invoice_id')
    .select([
      'erp_syncs.provider',
      'erp_syncs.external_id',
      'erp_syncs.void_state',
      'invoices.id as invoice_id',
      'invoices.number',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
    ])
    .where('erp_syncs.id', '=', syncId)
    .executeTakeFirst();
  if (row?.void_state !== 'pending' || row.external_id === null) return { code: 'not_pending' };
  const gateway = deps.erp;
  if (gateway?.provider !== row.provider) {
    throw new Error(
      `The ${row.provider} connection is not configured: ${row.number ?? syncId} waits to be voided there`,
    );
  }
  const opened = await gateway.open();
  if (!opened.ok) throw new Error(`Not voided in the ERP yet: ${opened.message}`);

  const result = await opened.client.voidInvoice(row.external_id);
  const now = deps.clock.now();
  if (!result.ok && result.error.retryable) {
    await deps.db
      .updateTable('erp_syncs')
      .set({ void_error: result.error as unknown as JsonObject })
      .where('id', '=', syncId)
      .execute();
    throw new Error(`Not voided in the ERP yet: ${result.error.message}`);
  }
  const done = await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('erp_syncs')
      .set(
        result.ok
          ? { void_state: 'voided', voided_at: now, void_error: null }
          : { void_state: 'failed', void_error: result.error as unknown as JsonObject },
      )
      .where('id', '=', syncId)
      .where('void_state', '=', 'pending')
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await recordAuditEntry(
      trx,
      {
        actor: `system:${row.provider}`,
        action: result.ok ? 'invoice.erp_voided' : 'invoice.erp_void_failed',
        subjectType: 'invoice',
        subjectId: row.invoice_id,
        details: result.ok
          ? { number: row.number, externalId: row.external_id, alreadyVoid: result.value.alreadyVoid }
          : {
              number: row.number,
              externalId: row.external_id,
              code: result.error.code,
              message: result.error.message,
            },
      },
      now,
    );
    return true;
  });
  if (!done) return { code: 'not_pending' };

  const thread =
    row.slack_channel_id === null || row.slack_thread_ts === null
      ? undefined
      : { channel: row.slack_channel_id, thread_ts: row.slack_thread_ts };
  const notice = buildErpVoidNotice({
    number: row.number ?? '',
    provider: row.provider,
    error: result.ok ? undefined : result.error.message,
    threadLink: thread === undefined ? null : messageLink(thread.channel, thread.thread_ts),
  });
  if (thread !== undefined) await deps.slack.post({ ...thread, ...notice });
  if (!result.ok) await deps.slack.alert(notice);
  return result.ok
    ? { code: 'voided', alreadyVoid: result.value.alreadyVoid }
    : { code: 'failed', error: result.error };
}
