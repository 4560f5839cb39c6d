import { settleRunStatus } from '../billing-runs/settle-run-status.ts';
import type { Deps } from '../ports/deps.ts';
import { refreshRunSummary } from '../slack/refresh-slack-messages.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * Settles the run's status from its invoices, then re-renders its summary; decisions within a few
 * seconds share one run of this job (job key).
 */
export function refreshRunSummaryTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = parseJobPayload('refresh_run_summary', payload);
    await settleRunStatus(deps.db, runId);
    await refreshRunSummary(deps, runId);
  };
}
