import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildDetailsModal } from '../../blocks/details-modal.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadInvoiceDetails } from '../../src/slack/load-invoice-views.ts';
import { parseInvoiceButton } from './action-values.ts';

/** Details on an approval card, a review page or App Home: the invoice's lines in a modal. */
export function invoiceDetailsClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const value = parseInvoiceButton(action.value);
    const details = value === undefined ? undefined : await loadInvoiceDetails(deps.db, value.invoiceId);
    if (details === undefined) return;
    const view = buildDetailsModal(details);
    if (body.view !== undefined) await client.views.push({ trigger_id: body.trigger_id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  };
}
