import type { Deps } from '../ports/deps.ts';
import { startScheduledRun } from '../schedules/start-scheduled-run.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** A schedule fired (or was caught up): start its run; the summary follows from post_run_messages. */
export function startScheduledRunTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    await startScheduledRun(deps, parseJobPayload('start_scheduled_run', payload));
  };
}
