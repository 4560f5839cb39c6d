import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approveInvoice } from '../../src/approval/approve-invoice.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { parseInvoiceButton } from './action-values.ts';
import { approveMessage } from './decision-messages.ts';
import { tellUser } from './tell-user.ts';

/** Approve on an approval card, a review page or App Home: the clicker hears only why it was refused. */
export function approveInvoiceClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const alerts = deps.billing.slack.alertsChannel;
  return async ({ ack, body, action, client }) => {
    await ack();
    const value = parseInvoiceButton(action.value);
    if (value === undefined) return;
    const result = await approveInvoice(deps, { ...value, userId: body.user.id });
    const message = approveMessage(result);
    if (message !== undefined) await tellUser(client, body, message, alerts);
  };
}
