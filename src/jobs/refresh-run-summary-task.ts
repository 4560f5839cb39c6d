import type { Deps } from '../ports/deps.ts';
import { refreshRunSummary } from '../slack/refresh-slack-messages.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Re-renders a run summary; decisions within a few seconds share one run of this job (job key). */
export function refreshRunSummaryTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = parseJobPayload('refresh_run_summary', payload);
    await refreshRunSummary(deps, runId);
  };
}
