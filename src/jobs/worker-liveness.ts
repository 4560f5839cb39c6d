import type pg from 'pg';

// graphile-worker locks a job (and its named queue) with the id of the pool that took it, and only
// releases a lock nobody completes after 4 hours (sql/000018.sql: `locked_at < NOW() - interval
// '4 hours'`): it cannot tell a slow pool from a dead one. Heartbeats can. Every pool beats every
// BEAT_MS (JOB_HEARTBEAT_SECONDS); a pool that has not beaten for BEATS_TO_DEATH beats died with its
// process, and its locks are released with graphile-worker's own force_unlock_workers
// (WorkerUtils.forceUnlockWorkers: "only use this if the workers in question are no longer running").
//
// Why that is safe for a live pool: it beats 6 times before it can be judged dead, and a sweeper only
// judges others once its own beats have succeeded for that long in a row, so after an outage that stopped
// every beat, each living pool has had 6 chances to beat again before anyone looks. A pool that cannot
// reach the database for a minute cannot record any job's outcome either; its side effects are claimed in
// ledger rows before they happen, so a job run again finds them (emails become "uncertain", never silent
// duplicates; ERP posts look before they create).

export const BEAT_MS = 10_000;
/** A pool that missed this many beats in a row is dead. */
export const BEATS_TO_DEATH = 6;

/** Records that these pools (all of one process) are alive, and when each started, the first time. */
export async function beat(pool: pg.Pool, poolIds: readonly string[], instanceId: string): Promise<void> {
  await pool.query(
    `insert into worker_heartbeats (pool_id, instance_id) select unnest($1::text[]), $2
     on conflict (pool_id) do update set beat_at = now()`,
    [poolIds, instanceId],
  );
}

/** A pool that stopped on purpose says so, so nobody waits a minute to release what it held. */
export async function forget(pool: pg.Pool, poolId: string): Promise<void> {
  await pool.query('delete from worker_heartbeats where pool_id = $1', [poolId]);
}

export interface HeldLocks {
  poolId: string;
  jobIds: string[];
}

/**
 * The pools holding a job or a named queue for longer than deadAfterMs, with the jobs each holds, and
 * whether each still beats. NOTE: reads graphile-worker's private tables (schema 000018), as its own
 * force_unlock_workers does; pinned with graphile-worker 0.17.
 */
export async function poolsHoldingLocks(
  pool: pg.Pool,
  deadAfterMs: number,
): Promise<(HeldLocks & { alive: boolean })[]> {
  const { rows } = await pool.query<{ pool_id: string; job_ids: string[]; alive: boolean }>(
    `with held as (
       select locked_by, id::text as job_id from graphile_worker._private_jobs
        where locked_by is not null and locked_at < now() - $1::interval
       union all
       select locked_by, null from graphile_worker._private_job_queues
        where locked_by is not null and locked_at < now() - $1::interval
     )
     select held.locked_by as pool_id,
            coalesce(array_agg(held.job_id) filter (where held.job_id is not null), '{}') as job_ids,
            coalesce(bool_or(beats.beat_at >= now() - $1::interval), false) as alive
       from held left join worker_heartbeats beats on beats.pool_id = held.locked_by
      group by held.locked_by`,
    [`${deadAfterMs} milliseconds`],
  );
  return rows.map((row) => ({ poolId: row.pool_id, jobIds: row.job_ids, alive: row.alive }));
}

/** Releases every job and named queue the given (dead) pools hold, and forgets their heartbeats. */
export async function releaseDeadPools(pool: pg.Pool, poolIds: readonly string[]): Promise<void> {
  if (poolIds.length === 0) return;
  await pool.query('select graphile_worker.force_unlock_workers($1::text[])', [poolIds]);
  await pool.query('delete from worker_heartbeats where pool_id = any($1::text[])', [poolIds]);
}

/** Heartbeats of pools dead for a day: nothing can hold a lock under them any more. */
export async function pruneHeartbeats(pool: pg.Pool): Promise<void> {
  await pool.query(`delete from worker_heartbeats where beat_at < now() - interval '1 day'`);
}
