import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { erpConsentReply } from '../../src/erp/connect/erp-consent-reply.ts';
import type { Deps } from '../../src/ports/deps.ts';
import type { ErpProvider } from '../../src/ports/erp-client.ts';
import { alertButtonIsOn } from '../../src/slack/button-bindings.ts';
import { parseErpProvider } from './action-values.ts';
import { boundButton, type ButtonRules } from './bound-button.ts';

/** Connect / Reconnect on an ERP alert: the clicker gets their own consent link (approvers only). */
export function reconnectErpClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  // NOTE: erpConsentReply itself answers non-approvers, and a provider this app is not set up for.
  const rules: ButtonRules<ErpProvider> = {
    parse: parseErpProvider,
    isOn: (_provider, surface) => alertButtonIsOn(deps.billing.slack.alertsChannel, surface),
  };
  return boundButton(deps, rules, async ({ value: provider, body, tell }) => {
    await tell(await erpConsentReply(deps, body.user.id, provider));
  });
}
