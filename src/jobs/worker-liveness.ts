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

const ABANDONED_ATTEMPT = 'Abandoned: its worker pool lost the database before the attempt ended';

/**
 * Whether an earlier attempt of this job ran (and, graphile-worker running one attempt of a job at a
 * time, is over however it ended): one that failed counts in `attempts`; one abandoned by a pool that
 * lost the database was refunded (releaseDeadPools) and left its mark in `last_error`.
 */
export function hadEarlierAttempt(job: { attempts: number; last_error: string | null }): boolean {
  return job.attempts > 1 || job.last_error !== null;
}
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

/**
 * Releases every job and named queue the given (dead) pools hold, and forgets their heartbeats.
 *
 * With `refundAttempts`, for pools of this process that lost the database (the process lived, so no
 * job killed it), each job they held gets back the attempt its fetch counted: that attempt never
 * recorded an end, so it was not a try of the task. Without it, connections cut every second burn a
 * job's 10 or 25 attempts in seconds, one per lost fetch or lost completion, and it gives up for good.
 * The job's last_error says so, which is how its next attempt knows an earlier one ran (hadEarlierAttempt).
 * NOTE: not for pools of a process that died: a job that kills its process must run out of attempts.
 * Writes graphile-worker's private jobs table, as its force_unlock_workers does; pinned with 0.17.
 */
export async function releaseDeadPools(
  pool: pg.Pool,
  poolIds: readonly string[],
  options: { refundAttempts?: boolean } = {},
): Promise<void> {
  if (poolIds.length === 0) return;
  const client = await pool.connect();
  try {
    await client.query('begin');
    if (options.refundAttempts === true)
      await client.query(
        `update graphile_worker._private_jobs set attempts = attempts - 1, last_error = $2
          where locked_by = any($1::text[]) and attempts > 0`,
        [poolIds, ABANDONED_ATTEMPT],
      );
    await client.query('select graphile_worker.force_unlock_workers($1::text[])', [poolIds]);
    await client.query('delete from worker_heartbeats where pool_id = any($1::text[])', [poolIds]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    client.release(true);
    throw error;
  }
  client.release();
}

/** Heartbeats of pools dead for a day: nothing can hold a lock under them any more. */
export async function pruneHeartbeats(pool: pg.Pool): Promise<void> {
  await pool.query(`delete from worker_heartbeats where beat_at < now() - interval '1 day'`);
}
