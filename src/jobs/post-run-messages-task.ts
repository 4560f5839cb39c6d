import { settleRunStatus } from '../billing-runs/settle-run-status.ts';
import type { Deps } from '../ports/deps.ts';
import { postRunMessages } from '../slack/post-run-messages.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** After a run is drafted: its summary in the billing channel and cards for held invoices. */
export function postRunMessagesTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = parseJobPayload('post_run_messages', payload);
    // NOTE: a run whose invoices were all approved by policy has nothing to decide from the start.
    await settleRunStatus(deps.db, runId);
    await postRunMessages(deps, runId);
  };
}
