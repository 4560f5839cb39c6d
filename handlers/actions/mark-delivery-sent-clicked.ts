import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isApprover } from '../../src/approval/approver-check.ts';
import { markDeliverySent } from '../../src/delivery/mark-delivery-sent.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { parseUuid } from './action-values.ts';
import { tellUser } from './tell-user.ts';

/** Mark as sent on a failed or uncertain invoice email, so billops never sends it again; approvers only. */
export function markDeliverySentClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const alerts = deps.billing.slack.alertsChannel;
  return async ({ ack, body, action, client }) => {
    await ack();
    const deliveryId = parseUuid(action.value);
    if (deliveryId === undefined) return;
    if (!(await isApprover(deps, body.user.id))) {
      await tellUser(client, body, 'Only billing approvers can settle an invoice email.', alerts);
      return;
    }
    const result = await markDeliverySent(deps.db, deliveryId, body.user.id, { now: deps.clock.now() });
    const message = {
      marked_sent: `Marked as sent by <@${body.user.id}>; billops will not send it again.`,
      already_sent: 'It was already sent.',
      not_markable:
        result.code === 'not_markable'
          ? `Not yet: billops is still working on this email (${result.state}).`
          : '',
      not_found: 'That email no longer exists.',
    }[result.code];
    await tellUser(client, body, message, alerts);
  };
}
