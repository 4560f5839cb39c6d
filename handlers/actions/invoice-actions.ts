import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildDetailsModal } from '../../blocks/details-modal.ts';
import { APPROVE_INVOICE, INVOICE_DETAILS, REJECT_INVOICE } from '../../blocks/ids.ts';
import { buildRejectModal } from '../../blocks/reject-modal.ts';
import { approveInvoice } from '../../src/approval/approve-invoice.ts';
import { loadDecisionSubject } from '../../src/approval/decision-subject.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadInvoiceDetails } from '../../src/slack/load-invoice-views.ts';
import { parseInvoiceButton } from './action-values.ts';
import { approveMessage } from './decision-messages.ts';
import { tellUser } from './tell-user.ts';

/** Approve, Reject and Details on approval cards, review pages and App Home. */
export function registerInvoiceActions(app: App, deps: Deps): void {
  const alerts = deps.billing.slack.alertsChannel;

  app.action<BlockAction<ButtonAction>>(APPROVE_INVOICE, async ({ ack, body, action, client }) => {
    await ack();
    const value = parseInvoiceButton(action.value);
    if (value === undefined) return;
    const result = await approveInvoice(deps, { ...value, userId: body.user.id });
    const message = approveMessage(result);
    if (message !== undefined) await tellUser(client, body, message, alerts);
  });

  app.action<BlockAction<ButtonAction>>(REJECT_INVOICE, async ({ ack, body, action, client }) => {
    await ack();
    const value = parseInvoiceButton(action.value);
    if (value === undefined) return;
    const subject = await loadDecisionSubject(deps.db, value.invoiceId);
    if (subject === undefined) return;
    const view = buildRejectModal({
      invoiceId: value.invoiceId,
      version: value.version,
      customerName: subject.customerName,
      total: subject.total,
      currency: subject.currency,
    });
    // NOTE: from inside a modal (Review) the reject form is pushed on top; from a message it opens.
    if (body.view !== undefined) await client.views.push({ trigger_id: body.trigger_id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<BlockAction<ButtonAction>>(INVOICE_DETAILS, async ({ ack, body, action, client }) => {
    await ack();
    const value = parseInvoiceButton(action.value);
    const details = value === undefined ? undefined : await loadInvoiceDetails(deps.db, value.invoiceId);
    if (details === undefined) return;
    const view = buildDetailsModal(details);
    if (body.view !== undefined) await client.views.push({ trigger_id: body.trigger_id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  });
}
