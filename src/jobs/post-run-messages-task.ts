import type { Deps } from '../ports/deps.ts';
import { postRunMessages } from '../slack/post-run-messages.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** After a run is drafted: its summary in the billing channel and cards for held invoices. */
export function postRunMessagesTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = parseJobPayload('post_run_messages', payload);
    await postRunMessages(deps, runId);
  };
}
