import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isApprover } from '../../src/approval/approver-check.ts';
import { retryDeliveryFromSlack } from '../../src/delivery/retry-delivery-from-slack.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { parseUuid } from './action-values.ts';
import { tellUser } from './tell-user.ts';

/** Retry on a failed or uncertain invoice email (invoice thread or alerts channel); approvers only. */
export function retryDeliveryClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const alerts = deps.billing.slack.alertsChannel;
  return async ({ ack, body, action, client }) => {
    await ack();
    const deliveryId = parseUuid(action.value);
    if (deliveryId === undefined) return;
    if (!(await isApprover(deps, body.user.id))) {
      await tellUser(client, body, 'Only billing approvers can send an invoice email again.', alerts);
      return;
    }
    const result = await retryDeliveryFromSlack(deps, deliveryId, body.user.id);
    const message = {
      queued: 'Sending it again now; the outcome will appear in the invoice thread.',
      needs_confirmation: 'Confirm first: the customer may already have this email.',
      not_retryable:
        result.code === 'not_retryable' ? `Nothing to retry: this email is ${result.state} already.` : '',
      not_found: 'That email no longer exists.',
    }[result.code];
    await tellUser(client, body, message, alerts);
  };
}
