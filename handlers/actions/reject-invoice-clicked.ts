import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildRejectModal } from '../../blocks/reject-modal.ts';
import { loadDecisionSubject } from '../../src/approval/decision-subject.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { boundButton } from './bound-button.ts';
import { invoiceButtonRules } from './invoice-button-rules.ts';

/** Reject on an approval card, a review page or App Home: opens the form that asks why. */
export function rejectInvoiceClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return boundButton(deps, invoiceButtonRules(deps), async ({ value, body, client }) => {
    const subject = await loadDecisionSubject(deps.db, value.invoiceId);
    if (subject === undefined) return;
    const view = buildRejectModal({
      invoiceId: value.invoiceId,
      version: value.version,
      customerName: subject.customerName,
      total: subject.total,
      currency: subject.currency,
    });
    // NOTE: from inside a modal (Review) the reject form is pushed on top; from a message or App Home it
    // opens (views.push needs a modal to push onto).
    if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  });
}
