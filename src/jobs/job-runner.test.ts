import { runMigrations } from 'graphile-worker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { startJobRunner } from './job-runner.ts';

const logger = pino({ level: 'silent' });

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await runMigrations({ pgPool: database.pool });
});
afterAll(async () => {
  await database.close();
});

describe('a worker pool that cannot fetch jobs while the database answers', () => {
  it('is replaced by a fresh pool, which runs the jobs', async () => {
    // NOTE: graphile-worker 0.17 keeps the first answer to "which ids have my tasks" for the life of a
    // runner, a failure too. A pool whose first fetch fails (here: the task table is away; in the
    // failover test: its connection was cut) then fails every fetch without asking the database.
    await database.pool.query('alter table graphile_worker._private_tasks rename to _private_tasks_away');
    let fetchErrors = 0;
    let ran = false;
    const runner = await startJobRunner({
      pool: database.pool,
      taskList: {
        probe: () => {
          ran = true;
          return Promise.resolve();
        },
      },
      concurrency: 1,
      logger,
      shutdownTimeoutMs: 2000,
      pollIntervalMs: 100,
      heartbeatMs: 200,
    });
    runner.events.on('worker:getJob:error', () => {
      fetchErrors += 1;
    });
    try {
      await vi.waitFor(() => {
        expect(fetchErrors).toBeGreaterThan(0);
      });
      await database.pool.query('alter table graphile_worker._private_tasks_away rename to _private_tasks');
      await database.pool.query(`select graphile_worker.add_job('probe', '{}'::json)`);

      await vi.waitFor(
        () => {
          expect(ran).toBe(true);
        },
        { timeout: 15_000, interval: 100 },
      );
      expect(runner.state()).toBe('running');
    } finally {
      await runner.stop();
    }
  });
});
