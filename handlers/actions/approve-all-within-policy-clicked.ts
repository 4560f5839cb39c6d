import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approveAllWithinPolicy } from '../../src/approval/approve-all-within-policy.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { boundButton } from './bound-button.ts';
import { plural } from '../../blocks/slack-text.ts';
import { runButtonRules } from './run-button-rules.ts';

/** Approve all within policy on the run summary: the clicker is told how many, and what is left. */
export function approveAllWithinPolicyClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return boundButton(deps, runButtonRules(deps), async ({ value: runId, body, tell, request }) => {
    const result = await approveAllWithinPolicy(deps, { runId, userId: body.user.id, request });
    if (result.code === 'duplicate_request') return;
    const message = {
      not_found: 'That billing run no longer exists.',
      not_an_approver: 'Only billing approvers can approve invoices.',
      self_approval: 'You started this billing run, so someone else has to approve its invoices.',
      approved:
        result.code === 'approved'
          ? (result.approved === 0
              ? 'Nothing was left to approve within policy.'
              : `Approved ${plural(result.approved, 'invoice')}.`) +
            (result.left.twoApprovers > 0
              ? ` ${plural(result.left.twoApprovers, 'needs', 'need')} two approvers and ${result.left.twoApprovers === 1 ? 'waits' : 'wait'} on ${result.left.twoApprovers === 1 ? 'its card' : 'their cards'}.`
              : '') +
            (result.left.blocked > 0
              ? ` ${plural(result.left.blocked, 'is', 'are')} blocked until ${result.left.blocked === 1 ? 'its' : 'their'} data is fixed.`
              : '')
          : '',
    }[result.code];
    await tell(message);
  });
}
