import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { JobName, JobPayloads } from './job-payloads.ts';

/** Audit anchors are appended one at a time, whichever instance runs them (task-list's crontab uses it too). */
export const AUDIT_ANCHOR_QUEUE = 'audit-anchors';

export interface EnqueueOptions {
  /** Jobs in one named queue run one at a time (e.g. one ERP tenant). */
  queueName?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** While a job with this key is still pending, enqueueing again replaces it instead of adding one. */
  jobKey?: string;
  /** `preserve_run_at`: re-enqueueing a pending keyed job keeps its time, so a burst becomes one run. */
  jobKeyMode?: 'replace' | 'preserve_run_at';
}

/**
 * Adds a job inside the caller's transaction, through graphile_worker.add_job, so the job exists
 * exactly when the state change that needs it commits. NOTE: a job runs at least once; each task
 * must check its ledger row before acting.
 */
export async function enqueueJob<Name extends JobName>(
  trx: Transaction<Database>,
  name: Name,
  payload: JobPayloads[Name],
  options: EnqueueOptions = {},
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    select id from graphile_worker.add_job(
      identifier := ${name},
      payload := ${JSON.stringify(payload)}::json,
      queue_name := ${options.queueName ?? null},
      run_at := ${options.runAt ?? null}::timestamptz,
      max_attempts := ${options.maxAttempts ?? null}::int,
      job_key := ${options.jobKey ?? null},
      job_key_mode := ${options.jobKeyMode ?? null}
    )`.execute(trx);
  const job = rows[0];
  if (job === undefined) throw new Error(`graphile_worker.add_job returned no job for ${name}`);
  return job.id;
}

/** Adds many jobs of one kind in one statement (graphile_worker.add_jobs), inside the caller's transaction. */
export async function enqueueJobs<Name extends JobName>(
  trx: Transaction<Database>,
  name: Name,
  payloads: readonly JobPayloads[Name][],
  options: Pick<EnqueueOptions, 'maxAttempts'> = {},
): Promise<number> {
  if (payloads.length === 0) return 0;
  const { rows } = await sql<{ added: number }>`
    select count(*)::int as added from graphile_worker.add_jobs(array(
      select row(${name}, payload, null, null, ${options.maxAttempts ?? null}::int, null, null, null)::graphile_worker.job_spec
      from json_array_elements(${JSON.stringify(payloads)}::json) as payload
    ))`.execute(trx);
  return rows[0]?.added ?? 0;
}
