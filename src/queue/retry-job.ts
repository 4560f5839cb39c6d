import { sql } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { claimSlackRequest, type SlackRequest } from '../events/claim-slack-request.ts';
import type { Deps } from '../ports/deps.ts';

export type RetryJobResult =
  | { code: 'rescheduled'; task: string }
  | { code: 'not_found' }
  /** This click was handled before (a redelivery): nothing changed. */
  | { code: 'duplicate_request' };

/**
 * A person's Retry on a job that gave up: it runs again now with fresh attempts (graphile-worker's
 * reschedule_jobs, which leaves a job that is running right now alone). The click is claimed in the
 * same transaction: a redelivered click runs nothing again, even after the job has given up again.
 */
export async function retryJob(
  deps: Pick<Deps, 'db' | 'clock'>,
  jobId: string,
  userId: string,
  request: SlackRequest,
): Promise<RetryJobResult> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimSlackRequest(trx, request))) return { code: 'duplicate_request' } as const;
    const { rows } = await sql<{ task_identifier: string }>`
      select t.identifier as task_identifier
      from graphile_worker.reschedule_jobs(array[${jobId}]::bigint[], run_at := now(), attempts := 0) as j
      join graphile_worker._private_tasks as t on t.id = j.task_id
    `.execute(trx);
    const job = rows[0];
    if (job === undefined) return { code: 'not_found' } as const;
    await recordAuditEntry(
      trx,
      {
        actor: userId,
        action: 'job.retried',
        subjectType: 'job',
        subjectId: jobId,
        details: { task: job.task_identifier },
      },
      deps.clock.now(),
    );
    return { code: 'rescheduled', task: job.task_identifier } as const;
  });
}
