import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { markDeliverySent } from '../../src/delivery/mark-delivery-sent.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { boundButton } from './bound-button.ts';
import { noticeButtonRules } from './notice-button-rules.ts';

/** Mark as sent on a failed or uncertain invoice email, so billops never sends it again; approvers only. */
export function markDeliverySentClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const rules = noticeButtonRules(deps, 'deliveries', 'Only billing approvers can settle an invoice email.');
  return boundButton(deps, rules, async ({ value: deliveryId, body, tell }) => {
    const result = await markDeliverySent(deps.db, deliveryId, body.user.id, { now: deps.clock.now() });
    await tell(
      {
        marked_sent: `Marked as sent by <@${body.user.id}>; billops will not send it again.`,
        already_sent: 'It was already sent.',
        not_markable:
          result.code === 'not_markable'
            ? `Not yet: billops is still working on this email (${result.state}).`
            : '',
        not_found: 'That email no longer exists.',
      }[result.code],
    );
  });
}
