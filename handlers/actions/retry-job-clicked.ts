import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../src/ports/deps.ts';
import { retryJob } from '../../src/queue/retry-job.ts';
import { alertButtonIsOn } from '../../src/slack/button-bindings.ts';
import { parseJobId } from './action-values.ts';
import { boundButton, type ButtonRules } from './bound-button.ts';

/** Retry on a background job that gave up (alerts channel); approvers only. */
export function retryJobClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const rules: ButtonRules<string> = {
    parse: parseJobId,
    isOn: (_jobId, surface) => alertButtonIsOn(deps.billing.slack.alertsChannel, surface),
    approversOnly: 'Only billing approvers can run a failed job again.',
  };
  return boundButton(deps, rules, async ({ value: jobId, body, tell, request }) => {
    const result = await retryJob(deps, jobId, body.user.id, request);
    if (result.code === 'duplicate_request') return;
    await tell(
      result.code === 'rescheduled'
        ? 'Running it again now; a new alert follows if it fails again.'
        : 'That job is gone or running right now.',
    );
  });
}
