import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { retryDeliveryFromSlack } from '../../src/delivery/retry-delivery-from-slack.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { boundButton } from './bound-button.ts';
import { noticeButtonRules } from './notice-button-rules.ts';

/** Retry on a failed or uncertain invoice email (invoice thread or alerts channel); approvers only. */
export function retryDeliveryClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const rules = noticeButtonRules(
    deps,
    'deliveries',
    'Only billing approvers can send an invoice email again.',
  );
  return boundButton(deps, rules, async ({ value: deliveryId, body, tell, request }) => {
    const result = await retryDeliveryFromSlack(deps, deliveryId, body.user.id, request);
    if (result.code === 'duplicate_request') return;
    await tell(
      {
        queued: 'Sending it again now; the outcome will appear in the invoice thread.',
        needs_confirmation: 'Confirm first: the customer may already have this email.',
        not_retryable:
          result.code === 'not_retryable' ? `Nothing to retry: this email is ${result.state} already.` : '',
        not_found: 'That email no longer exists.',
      }[result.code],
    );
  });
}
