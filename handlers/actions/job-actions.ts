import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { RETRY_JOB } from '../../blocks/ids.ts';
import { isApprover } from '../../src/approval/approver-check.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { retryJob } from '../../src/queue/retry-job.ts';
import { tellUser } from './tell-user.ts';

/** Retry on a background job that gave up (alerts channel). */
export function registerJobActions(app: App, deps: Deps): void {
  const alerts = deps.billing.slack.alertsChannel;
  app.action<BlockAction<ButtonAction>>(RETRY_JOB, async ({ ack, body, action, client }) => {
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
  });
}
