import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildReviewModal, REVIEW_PAGE_SIZE } from '../../blocks/review-modal.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { reviewPageButtonIsOn } from '../../src/slack/button-bindings.ts';
import { loadReviewPage } from '../../src/slack/load-invoice-views.ts';
import { parseReviewPage } from './action-values.ts';
import { boundButton, type ButtonRules } from './bound-button.ts';

/** Previous / Next in the review modal: redraws the modal at the page the button carries. */
export function reviewPageClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const rules: ButtonRules<{ runId: string; page: number }> = {
    parse: parseReviewPage,
    isOn: (value, surface) => reviewPageButtonIsOn(value.runId, surface),
  };
  return boundButton(deps, rules, async ({ value, body, client }) => {
    const page = await loadReviewPage(deps.db, value.runId, value.page, REVIEW_PAGE_SIZE);
    if (page === undefined || body.view === undefined) return;
    await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: buildReviewModal(page) });
  });
}
