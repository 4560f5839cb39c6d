import { runMigrations } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { hadEarlierAttempt, releaseDeadPools } from './worker-liveness.ts';

// A pool that died holding jobs: its locks go, and (only for a pool of this process that lost the
// database) the attempt each job's fetch counted is given back, marked in last_error.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await runMigrations({ pgPool: database.pool });
});
afterAll(async () => {
  await database.close();
});

interface JobRow {
  attempts: number;
  last_error: string | null;
  locked_by: string | null;
}

/** A job as a pool's fetch leaves it: locked by that pool, its attempts counted once more. */
async function heldJob(poolId: string, attempts: number): Promise<string> {
  const { rows } = await database.pool.query<{ id: string }>(
    `select id::text from graphile_worker.add_job('update_invoice_card', '{}'::json)`,
  );
  const id = rows[0]?.id ?? '';
  await database.pool.query(
    `update graphile_worker._private_jobs set locked_by = $2, locked_at = now(), attempts = $3 where id = $1`,
    [id, poolId, attempts],
  );
  return id;
}

async function job(id: string): Promise<JobRow> {
  const { rows } = await database.pool.query<JobRow>(
    'select attempts, last_error, locked_by from graphile_worker._private_jobs where id = $1',
    [id],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`no job ${id}`);
  return row;
}

describe('releaseDeadPools', () => {
  it('gives back the attempt of a pool that lost the database, and says so for the next attempt', async () => {
    const first = await heldJob('pool-lost-db', 1);
    const later = await heldJob('pool-lost-db', 3);
    const other = await heldJob('pool-alive', 1);

    await releaseDeadPools(database.pool, ['pool-lost-db'], { refundAttempts: true });

    const released = await job(first);
    expect(released).toMatchObject({ attempts: 0, locked_by: null });
    expect(released.last_error).toMatch(/lost the database/);
    expect(await job(later)).toMatchObject({ attempts: 2, locked_by: null });
    expect(await job(other)).toEqual({ attempts: 1, last_error: null, locked_by: 'pool-alive' });
    // Fetched again, the job counts 1 attempt, yet knows an earlier one ran.
    expect(hadEarlierAttempt({ attempts: released.attempts + 1, last_error: released.last_error })).toBe(
      true,
    );
  });

  it('keeps the attempts of a pool whose process died: a job that kills its process runs out', async () => {
    const id = await heldJob('pool-of-dead-process', 2);
    await releaseDeadPools(database.pool, ['pool-of-dead-process']);
    expect(await job(id)).toEqual({ attempts: 2, last_error: null, locked_by: null });
  });
});

describe('hadEarlierAttempt', () => {
  it('is false only for a first attempt with no error behind it', () => {
    expect(hadEarlierAttempt({ attempts: 1, last_error: null })).toBe(false);
    expect(hadEarlierAttempt({ attempts: 2, last_error: null })).toBe(true);
    expect(hadEarlierAttempt({ attempts: 1, last_error: 'Connection terminated' })).toBe(true);
  });
});
