import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { OPEN_ERP_CONSENT, RECONNECT_ERP } from '../../blocks/ids.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { erpConsentReply } from '../../src/erp/connect/erp-consent-reply.ts';
import { tellUser } from './tell-user.ts';

/** Connect / Reconnect on an ERP alert: the clicker gets their own consent link (approvers only). */
export function registerErpActions(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(RECONNECT_ERP, async ({ ack, body, action, client }) => {
    await ack();
    if (action.value !== 'xero' && action.value !== 'quickbooks') return;
    const reply = await erpConsentReply(deps, body.user.id, action.value);
    await tellUser(client, body, reply, deps.billing.slack.alertsChannel);
  });
  // NOTE: a link button still sends its click; acking it keeps Slack from showing a warning.
  app.action(OPEN_ERP_CONSENT, async ({ ack }) => {
    await ack();
  });
}
