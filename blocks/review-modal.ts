import type { KnownBlock, ModalView } from '@slack/types';
import { actions, button, divider, plainText, section } from './block-elements.ts';
import { REVIEW_MODAL, REVIEW_PAGE, type ReviewPageValue } from './ids.ts';
import { heldInvoiceBlocks } from './invoice-buttons.ts';
import { MODAL_BUTTON_MAX, MODAL_TITLE_MAX } from './slack-limits.ts';
import { escapeOutsideTextCut, plural } from './slack-text.ts';
import type { ReviewPageView } from './view-models.ts';

/** Held invoices per review page: 3 blocks each keeps a page far below a modal's 100. */
export const REVIEW_PAGE_SIZE = 10;

export function reviewPageValue(runId: string, page: number): string {
  const value: ReviewPageValue = { runId, page };
  return JSON.stringify(value);
}

/** One page of a run's held invoices, each with Approve / Reject / Details, and Previous / Next. */
export function buildReviewModal(view: ReviewPageView): ModalView {
  const rows = view.invoices.slice(0, REVIEW_PAGE_SIZE);
  const first = view.page * REVIEW_PAGE_SIZE + 1;
  const range =
    rows.length === 0 ? '' : ` · showing ${first}–${first + rows.length - 1} of ${view.totalHeld}`;
  const blocks: KnownBlock[] = [
    section(
      `*${escapeOutsideTextCut(view.periodLabel, 60)}* · ${plural(view.totalHeld, 'held invoice')}${range}`,
    ),
    divider(),
  ];
  if (rows.length === 0) blocks.push(section('Nothing on this page waits for a decision any more.'));
  for (const row of rows) blocks.push(...heldInvoiceBlocks(row), divider());
  if (view.invoices.length > rows.length) {
    // NOTE: a page is REVIEW_PAGE_SIZE rows; more means the caller paged wrongly, so say so instead of hiding them.
    blocks.push(
      section(`_${plural(view.invoices.length - rows.length, 'more invoice')} not shown on this page._`),
    );
  }
  // Slack wants action_ids unique within a block, so Previous and Next (both REVIEW_PAGE) sit in blocks of their own.
  if (view.pageCount > 1) {
    blocks.push(section(`Page ${view.page + 1} of ${view.pageCount}`));
    if (view.page > 0) {
      blocks.push(
        actions([
          button({
            actionId: REVIEW_PAGE,
            text: '‹ Previous',
            value: reviewPageValue(view.runId, view.page - 1),
          }),
        ]),
      );
    }
    if (view.page < view.pageCount - 1) {
      blocks.push(
        actions([
          button({
            actionId: REVIEW_PAGE,
            text: 'Next ›',
            value: reviewPageValue(view.runId, view.page + 1),
          }),
        ]),
      );
    }
  }
  return {
    type: 'modal',
    callback_id: REVIEW_MODAL,
    private_metadata: reviewPageValue(view.runId, view.page),
    title: plainText('Review invoices', MODAL_TITLE_MAX),
    close: plainText('Close', MODAL_BUTTON_MAX),
    blocks,
  };
}
