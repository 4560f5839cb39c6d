import type { Deps } from '../ports/deps.ts';
import { claimSlackRequest } from '../events/claim-slack-request.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';

export interface RequestBillingRunInput {
  /** Slack's trigger_id: the same for a retried delivery of one command. */
  triggerId: string;
  period: string;
  dryRun: boolean;
  customers: string[];
  userId: string;
  channelId: string;
  responseUrl: string;
}

/**
 * Queues `/invoice run` for the job runner, once per command: a retried delivery of the same command
 * (same trigger_id) queues nothing. The run itself is idempotent per (scope, period) as well.
 */
export async function requestBillingRun(
  deps: Pick<Deps, 'db'>,
  input: RequestBillingRunInput,
): Promise<{ code: 'queued' | 'duplicate' }> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimSlackRequest(trx, { kind: 'command', id: input.triggerId }))) {
      return { code: 'duplicate' } as const;
    }
    const { triggerId: _triggerId, ...payload } = input;
    await enqueueJob(trx, 'start_billing_run', payload);
    return { code: 'queued' } as const;
  });
}
