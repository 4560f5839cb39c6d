import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { testDeps } from '../../test/support/test-deps.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { startJobRunner, type JobRunner } from './job-runner.ts';
import { buildTaskList } from './task-list.ts';

const logger = pino({ level: 'silent' });

function outcomeOf(runner: JobRunner, jobId: string): Promise<'success' | 'failed'> {
  return new Promise((resolve) => {
    runner.events.on('job:success', ({ job }) => {
      if (job.id === jobId) resolve('success');
    });
    runner.events.on('job:failed', ({ job }) => {
      if (job.id === jobId) resolve('failed');
    });
  });
}

async function pendingJobs(database: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ task_identifier: string }>`
    select task_identifier from graphile_worker.jobs order by id`.execute(database.db);
  return rows.map((row) => row.task_identifier);
}

describe('enqueueJob without a runner', () => {
  it('leaves no job when the transaction rolls back, and one when it commits', async () => {
    const database = await createTestDatabase();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueJob(trx, 'verify_audit_log', {});
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    expect(await pendingJobs(database)).toEqual([]);
    await database.db.transaction().execute((trx) => enqueueJob(trx, 'verify_audit_log', {}));
    expect(await pendingJobs(database)).toEqual(['verify_audit_log']);
    await database.close();
  });
});

describe('enqueueJob', () => {
  let database: TestDatabase;
  let runner: JobRunner;
  beforeAll(async () => {
    database = await createTestDatabase();
    const deps = { ...(await testDeps(database)), logger };
    runner = await startJobRunner({
      pool: database.pool,
      taskList: buildTaskList(deps),
      concurrency: 2,
      logger,
      shutdownTimeoutMs: 5000,
      pollIntervalMs: 100,
    });
  });
  afterAll(async () => {
    await runner.stop();
    await database.close();
  });

  it('runs the job once the transaction commits', async () => {
    await recordAuditEntry(database.db, { actor: 'U1', action: 'test', subjectType: 't', subjectId: '1' });
    const jobId = await database.db.transaction().execute((trx) => enqueueJob(trx, 'verify_audit_log', {}));
    expect(await outcomeOf(runner, jobId)).toBe('success');
    await vi.waitFor(async () => {
      expect(await pendingJobs(database)).toEqual([]);
    });
  });

  it('fails the audit verification job when the chain was tampered with', async () => {
    await database.db.connection().execute(async (connection) => {
      await sql`set session_replication_role = replica`.execute(connection);
      await sql`update audit_log set actor = 'U0EVIL'`.execute(connection);
      await sql`set session_replication_role = origin`.execute(connection);
    });
    const jobId = await database.db
      .transaction()
      .execute((trx) => enqueueJob(trx, 'verify_audit_log', {}, { maxAttempts: 1 }));
    expect(await outcomeOf(runner, jobId)).toBe('failed');
    await vi.waitFor(async () => {
      const { rows } = await sql<{ last_error: string | null }>`
        select last_error from graphile_worker.jobs where id = ${jobId}`.execute(database.db);
      expect(rows[0]?.last_error).toMatch(/Audit log verification failed: entry 1 was changed/);
    });
  });
});

describe('job runner stop', () => {
  it('lets a running job finish before it resolves', async () => {
    const database = await createTestDatabase();
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    const runner = await startJobRunner({
      pool: database.pool,
      taskList: {
        slow_task: async () => {
          release();
          await new Promise((resolve) => setTimeout(resolve, 300));
          finished = true;
        },
      },
      concurrency: 1,
      logger,
      shutdownTimeoutMs: 5000,
      pollIntervalMs: 100,
    });
    await sql`select graphile_worker.add_job('slow_task', '{}'::json)`.execute(database.db);
    await started;
    expect(runner.state()).toBe('running');
    await runner.stop();
    expect(finished).toBe(true);
    expect(runner.state()).toBe('stopped');
    expect(await pendingJobs(database)).toEqual([]);
    await database.close();
  });
});
