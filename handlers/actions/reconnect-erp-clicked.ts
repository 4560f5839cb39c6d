import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { erpConsentReply } from '../../src/erp/connect/erp-consent-reply.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { tellUser } from './tell-user.ts';

/** Connect / Reconnect on an ERP alert: the clicker gets their own consent link (approvers only). */
export function reconnectErpClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, action, client }) => {
    await ack();
    if (action.value !== 'xero' && action.value !== 'quickbooks') return;
    const reply = await erpConsentReply(deps, body.user.id, action.value);
    await tellUser(client, body, reply, deps.billing.slack.alertsChannel);
  };
}
