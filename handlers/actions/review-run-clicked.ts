import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildReviewModal, REVIEW_PAGE_SIZE } from '../../blocks/review-modal.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadReviewPage } from '../../src/slack/load-invoice-views.ts';
import { boundButton } from './bound-button.ts';
import { runButtonRules } from './run-button-rules.ts';

/** Review on the run summary: opens the paged review modal at its first page. */
export function reviewRunClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return boundButton(deps, runButtonRules(deps), async ({ value: runId, body, client }) => {
    const page = await loadReviewPage(deps.db, runId, 0, REVIEW_PAGE_SIZE);
    if (page === undefined) return;
    await client.views.open({ trigger_id: body.trigger_id, view: buildReviewModal(page) });
  });
}
