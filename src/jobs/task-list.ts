import type { TaskList } from 'graphile-worker';
import type { Deps } from '../deps.ts';
import type { JobName } from './job-payloads.ts';
import { verifyAuditLogTask } from './verify-audit-log-task.ts';

/** Every task the worker runs, by job name; one module per task. */
export function buildTaskList(deps: Deps): Record<JobName, TaskList[string]> {
  return {
    verify_audit_log: verifyAuditLogTask(deps),
  };
}

/** Recurring jobs (graphile-worker crontab, UTC). */
export const CRONTAB = ['0 3 * * * verify_audit_log ?max=1'].join('\n');
