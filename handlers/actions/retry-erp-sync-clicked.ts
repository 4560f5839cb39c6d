import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isApprover } from '../../src/approval/approver-check.ts';
import { retryErpSync } from '../../src/erp/retry-erp-sync.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { parseUuid } from './action-values.ts';
import { tellUser } from './tell-user.ts';

/** Retry on an ERP posting the ERP refused; approvers only. */
export function retryErpSyncClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const alerts = deps.billing.slack.alertsChannel;
  return async ({ ack, body, action, client }) => {
    await ack();
    const syncId = parseUuid(action.value);
    if (syncId === undefined) return;
    if (!(await isApprover(deps, body.user.id))) {
      await tellUser(client, body, 'Only billing approvers can post an invoice to the ERP again.', alerts);
      return;
    }
    const result = await retryErpSync(deps, syncId, body.user.id);
    const message = {
      queued: 'Posting it to the ERP again; the outcome will appear in the invoice thread.',
      not_failed: result.code === 'not_failed' ? `Nothing to retry: it is ${result.state}.` : '',
      not_found: 'That ERP posting no longer exists.',
    }[result.code];
    await tellUser(client, body, message, alerts);
  };
}
