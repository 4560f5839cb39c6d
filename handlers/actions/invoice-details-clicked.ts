import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildDetailsModal } from '../../blocks/details-modal.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadInvoiceDetails } from '../../src/slack/load-invoice-views.ts';
import { boundButton } from './bound-button.ts';
import { invoiceButtonRules } from './invoice-button-rules.ts';

/** Details on an approval card, a review page or App Home: the invoice's lines in a modal. */
export function invoiceDetailsClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return boundButton(deps, invoiceButtonRules(deps), async ({ value, body, client }) => {
    const details = await loadInvoiceDetails(deps.db, value.invoiceId);
    if (details === undefined) return;
    const view = buildDetailsModal(details);
    if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  });
}
