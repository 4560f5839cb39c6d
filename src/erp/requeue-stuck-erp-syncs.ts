import type { Db } from '../db/database.ts';
import { enqueueErpSyncs } from '../queue/enqueue-erp-syncs.ts';
import type { ErpProvider } from '../ports/erp-client.ts';

/**
 * A sync still `in_flight` since before `olderThan` belonged to a worker that died mid-call. It may
 * have reached the ERP, so it becomes `uncertain` and is queued again: the next attempt looks the
 * number up before creating, so this never duplicates. Returns how many were picked up.
 */
export async function requeueStuckErpSyncs(db: Db, olderThan: Date, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('erp_syncs')
      .set({ state: 'uncertain' })
      .where('state', '=', 'in_flight')
      .where((eb) => eb.or([eb('last_attempt_at', '<', olderThan), eb('last_attempt_at', 'is', null)]))
      .returning(['id', 'provider'])
      .execute();
    for (const provider of ['xero', 'quickbooks'] as const satisfies ErpProvider[]) {
      const ids = rows.filter((row) => row.provider === provider).map((row) => row.id);
      await enqueueErpSyncs(trx, provider, ids, now);
    }
    return rows.length;
  });
}
