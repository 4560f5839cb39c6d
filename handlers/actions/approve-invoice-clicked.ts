import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approveInvoice } from '../../src/approval/approve-invoice.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { boundButton } from './bound-button.ts';
import { approveMessage } from './decision-messages.ts';
import { invoiceButtonRules } from './invoice-button-rules.ts';

/** Approve on an approval card, a review page or App Home: the clicker hears only why it was refused. */
export function approveInvoiceClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return boundButton(deps, invoiceButtonRules(deps), async ({ value, body, tell }) => {
    const result = await approveInvoice(deps, { ...value, userId: body.user.id });
    const message = approveMessage(result);
    if (message !== undefined) await tell(message);
  });
}
