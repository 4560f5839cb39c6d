import type { Deps } from '../ports/deps.ts';
import { postCreditNoteErpOutcome } from './post-erp-news.ts';
import { syncCreditNoteToErp, type CreditNoteSyncResult } from './sync-credit-note-to-erp.ts';

/**
 * Posts a credit note to the connected ERP and tells the invoice's thread what became of it. With no ERP
 * configured it does nothing; a connection that cannot be opened, a retryable failure or an invoice not
 * in the ERP yet rejects, so the job backs off and tries again.
 */
export async function postCreditNoteToErp(
  deps: Deps,
  syncId: string,
): Promise<CreditNoteSyncResult['code'] | 'no_erp'> {
  const gateway = deps.erp;
  if (gateway === undefined) return 'no_erp';
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
  return result.code;
}
