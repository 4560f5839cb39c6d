import { runMigrations } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { detachRunningErpSyncJob, enqueueErpSyncs } from './enqueue-erp-syncs.ts';

// graphile-worker, asked to add a keyed job while the job with that key runs, ends the running one's
// retries (attempts = max). A running sync job gives its key up first, and keeps its retries.

const NOW = new Date('2026-03-01T09:00:00.000Z');

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await runMigrations({ pgPool: database.pool });
});
afterAll(async () => {
  await database.close();
});

interface SyncJob {
  id: string;
  attempts: number;
  max_attempts: number;
  key: string | null;
  payload: { syncId: string }[];
}

async function syncJobs(): Promise<SyncJob[]> {
  const { rows } = await database.pool.query<SyncJob>(
    `select j.id::text, j.attempts, j.max_attempts, j.key, j.payload from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
     where t.identifier = 'sync_invoices_to_erp' order by j.id`,
  );
  return rows;
}

const enqueue = (ids: string[]) =>
  database.db.transaction().execute((trx) => enqueueErpSyncs(trx, 'xero', ids, NOW));

/** The job as a pool's fetch leaves it: locked, its attempts counted once more. */
async function fetched(job: SyncJob): Promise<{ id: string; attempts: number }> {
  await database.pool.query(
    `update graphile_worker._private_jobs set locked_by = 'pool-test', locked_at = now(), attempts = attempts + 1
      where id = $1`,
    [job.id],
  );
  return { id: job.id, attempts: job.attempts + 1 };
}

async function clear(): Promise<void> {
  await database.pool.query('delete from graphile_worker._private_jobs');
}

describe('a running ERP sync job and syncs queued meanwhile', () => {
  it('without giving its key up, the running job loses its retries (the behaviour guarded against)', async () => {
    await clear();
    await enqueue(['a', 'b']);
    const [running] = await syncJobs();
    if (running === undefined) throw new Error('no job');
    await fetched(running);
    await enqueue(['c']);
    const [after, added] = await syncJobs();
    expect(after).toMatchObject({ id: running.id, key: null, attempts: running.max_attempts });
    expect(added?.payload).toEqual([{ syncId: 'c' }]);
  });

  it('giving it up as it starts, the running job keeps its retries and the new syncs get a job of their own', async () => {
    await clear();
    await enqueue(['a', 'b']);
    const [running] = await syncJobs();
    if (running === undefined) throw new Error('no job');
    const job = await fetched(running);
    await detachRunningErpSyncJob(database.db, job);
    await enqueue(['c']);
    await enqueue(['d']);
    const [after, added] = await syncJobs();
    expect(after).toMatchObject({
      id: running.id,
      key: null,
      attempts: 1,
      payload: [{ syncId: 'a' }, { syncId: 'b' }],
    });
    expect(added).toMatchObject({
      key: 'erp-sync:xero',
      attempts: 0,
      payload: [{ syncId: 'c' }, { syncId: 'd' }],
    });
  });

  it('a clobber just before it gave its key up is undone', async () => {
    await clear();
    await enqueue(['a']);
    const [running] = await syncJobs();
    if (running === undefined) throw new Error('no job');
    const job = await fetched(running);
    await enqueue(['b']);
    await detachRunningErpSyncJob(database.db, job);
    const [after] = await syncJobs();
    expect(after).toMatchObject({ id: running.id, attempts: 1 });
  });
});
