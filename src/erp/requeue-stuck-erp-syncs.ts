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

/**
 * The syncs among `syncIds` left `in_flight` by an earlier attempt of the job now holding them (its
 * worker died, or lost Postgres, between claim and record) become `uncertain`, so this attempt takes
 * them up at once, looking each number up before creating, instead of after the sweeper's hour.
 * NOTE: called by the sync job as it starts. A provider's syncs run in one graphile-worker queue, which
 * runs one job at a time across every instance, and a sync is claimed only inside such a job: so while
 * this job runs, a row in flight belongs to no living attempt. (The attempt count cannot say it: a
 * batch job's count starts again when syncs queued later are merged into it.)
 */
export async function releaseAbandonedErpSyncs(db: Db, syncIds: readonly string[]): Promise<number> {
  if (syncIds.length === 0) return 0;
  const rows = await db
    .updateTable('erp_syncs')
    .set({ state: 'uncertain' })
    .where('id', 'in', syncIds)
    .where('state', '=', 'in_flight')
    .returning('id')
    .execute();
  return rows.length;
}
