import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { MARK_DELIVERY_SENT, RETRY_DELIVERY, RETRY_ERP_SYNC } from '../../blocks/ids.ts';
import { markDeliverySent } from '../../src/delivery/mark-delivery-sent.ts';
import { retryDeliveryFromSlack } from '../../src/delivery/retry-delivery-from-slack.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { retryErpSync } from '../../src/erp/retry-erp-sync.ts';
import { isApprover } from '../../src/approval/approver-check.ts';
import { parseUuid } from './action-values.ts';
import { tellUser } from './tell-user.ts';

/** Retry and Mark as sent on a failed or uncertain email, and Retry on a refused ERP posting. */
export function registerDeliveryActions(app: App, deps: Deps): void {
  const alerts = deps.billing.slack.alertsChannel;

  app.action<BlockAction<ButtonAction>>(RETRY_DELIVERY, async ({ ack, body, action, client }) => {
    await ack();
    const deliveryId = parseUuid(action.value);
    if (deliveryId === undefined) return;
    if (!(await isApprover(deps, body.user.id))) {
      await tellUser(client, body, 'Only billing approvers can send an invoice email again.', alerts);
      return;
    }
    const result = await retryDeliveryFromSlack(deps, deliveryId, body.user.id);
    const message = {
      queued: 'Sending it again now; the outcome will appear in the invoice thread.',
      needs_confirmation: 'Confirm first: the customer may already have this email.',
      not_retryable:
        result.code === 'not_retryable' ? `Nothing to retry: this email is ${result.state} already.` : '',
      not_found: 'That email no longer exists.',
    }[result.code];
    await tellUser(client, body, message, alerts);
  });

  app.action<BlockAction<ButtonAction>>(RETRY_ERP_SYNC, async ({ ack, body, action, client }) => {
    await ack();
    const syncId = parseUuid(action.value);
    if (syncId === undefined) return;
    if (!(await isApprover(deps, body.user.id))) {
      await tellUser(client, body, 'Only billing approvers can post an invoice to the ERP again.', alerts);
      return;
    }
    const result = await retryErpSync(deps, syncId, body.user.id);
    const message = {
      queued: 'Posting it to the ERP again; the outcome will appear in the invoice thread.',
      not_failed: result.code === 'not_failed' ? `Nothing to retry: it is ${result.state}.` : '',
      not_found: 'That ERP posting no longer exists.',
    }[result.code];
    await tellUser(client, body, message, alerts);
  });

  app.action<BlockAction<ButtonAction>>(MARK_DELIVERY_SENT, async ({ ack, body, action, client }) => {
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
  });
}
