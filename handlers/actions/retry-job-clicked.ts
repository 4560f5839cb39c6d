import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isApprover } from '../../src/approval/approver-check.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { retryJob } from '../../src/queue/retry-job.ts';
import { tellUser } from './tell-user.ts';

/** Retry on a background job that gave up (alerts channel); approvers only. */
export function retryJobClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const alerts = deps.billing.slack.alertsChannel;
  return async ({ ack, body, action, client }) => {
    await ack();
    if (!/^\d+$/.test(action.value ?? '')) return;
    if (!(await isApprover(deps, body.user.id))) {
      await tellUser(client, body, 'Only billing approvers can run a failed job again.', alerts);
      return;
    }
    const result = await retryJob(deps, action.value ?? '', body.user.id);
    await tellUser(
      client,
      body,
      result.code === 'rescheduled'
        ? 'Running it again now; a new alert follows if it fails again.'
        : 'That job is gone or running right now.',
      alerts,
    );
  };
}
