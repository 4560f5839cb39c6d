import type { ActionsBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  allButtons,
  buttonsWithActionId,
  viewProblems,
  visibleText,
} from '../test/support/block-kit-queries.ts';
import {
  APPROVE_INVOICE,
  INVOICE_DETAILS,
  REJECT_INVOICE,
  REVIEW_MODAL,
  REVIEW_PAGE,
  type InvoiceButtonValue,
  type ReviewPageValue,
} from './ids.ts';
import { buildReviewModal, REVIEW_PAGE_SIZE } from './review-modal.ts';
import {
  HOSTILE_NAME,
  makeHeldInvoiceRow,
  makeReviewPageView,
} from '../test/support/view-model-factories.ts';

const fullPage = Array.from({ length: REVIEW_PAGE_SIZE }, (_, index) =>
  makeHeldInvoiceRow({
    invoiceId: `inv-${index}`,
    version: index + 1,
    customerName: `Customer ${index}`,
    blocked: index % 3 === 0,
    reasons: Array.from({ length: 8 }, () => ({ code: 'x', text: 'r'.repeat(500) })),
  }),
);

describe('buildReviewModal', () => {
  it('lists each held invoice with the same buttons and values as its card', () => {
    const view = buildReviewModal(makeReviewPageView());
    expect(view.callback_id).toBe(REVIEW_MODAL);
    const approve = buttonsWithActionId(view.blocks, APPROVE_INVOICE);
    expect(approve.map((button) => JSON.parse(button.value ?? '') as InvoiceButtonValue)).toEqual([
      { invoiceId: 'inv-1', version: 2 },
    ]);
    expect(approve[0]?.confirm?.text.text).toBe('Approve the invoice to *Acme Ltd* for *£12,400.00*?');
    expect(
      buttonsWithActionId(view.blocks, REJECT_INVOICE).map(
        (button) => JSON.parse(button.value ?? '') as unknown,
      ),
    ).toEqual([
      { invoiceId: 'inv-1', version: 2 },
      { invoiceId: 'inv-2', version: 5 },
    ]);
    expect(buttonsWithActionId(view.blocks, INVOICE_DETAILS)).toHaveLength(2);
    expect(viewProblems(view)).toEqual([]);
  });

  it('marks a blocked invoice and gives it no Approve button', () => {
    const view = buildReviewModal(makeReviewPageView());
    const text = visibleText(view.blocks);
    expect(text).toContain(
      '*Globex* · £12,400.00\n:no_entry: *Blocked:* fix the exceptions before it can be approved',
    );
    const globexActions = view.blocks.find(
      (block): block is ActionsBlock =>
        block.type === 'actions' &&
        allButtons([block]).some((button) => button.value?.includes('inv-2') === true),
    );
    expect(allButtons(globexActions ? [globexActions] : []).map((button) => button.action_id)).toEqual([
      REJECT_INVOICE,
      INVOICE_DETAILS,
    ]);
  });

  it('shows customer, total and reasons, escaped', () => {
    const view = buildReviewModal(
      makeReviewPageView({
        invoices: [
          makeHeldInvoiceRow({ customerName: HOSTILE_NAME, reasons: [{ code: 'x', text: '<!here>' }] }),
        ],
      }),
    );
    expect(visibleText(view.blocks)).toContain(
      '*&lt;!channel&gt; \u2217Acme\u2217 &amp; &lt;@U123&gt;* · £12,400.00\n• &lt;!here&gt;',
    );
    expect(JSON.stringify(view)).not.toMatch(/<!channel>|<@U123>|<!here>/);
  });

  it('carries the run and page in private_metadata and has no paging on a single page', () => {
    const view = buildReviewModal(makeReviewPageView());
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ runId: 'run-7f3a', page: 0 });
    expect(buttonsWithActionId(view.blocks, REVIEW_PAGE)).toEqual([]);
  });

  it('pages with Previous and Next carrying the run and the page they open', () => {
    const pageValues = (page: number) =>
      buttonsWithActionId(
        buildReviewModal(makeReviewPageView({ page, pageCount: 3, totalHeld: 25, invoices: fullPage }))
          .blocks,
        REVIEW_PAGE,
      ).map((button) => [button.text.text, JSON.parse(button.value ?? '') as ReviewPageValue]);
    expect(pageValues(0)).toEqual([['Next ›', { runId: 'run-7f3a', page: 1 }]]);
    expect(pageValues(1)).toEqual([
      ['‹ Previous', { runId: 'run-7f3a', page: 0 }],
      ['Next ›', { runId: 'run-7f3a', page: 2 }],
    ]);
    expect(pageValues(2)).toEqual([['‹ Previous', { runId: 'run-7f3a', page: 1 }]]);
  });

  it('keeps a full page with long reasons within the modal limits', () => {
    const view = buildReviewModal(
      makeReviewPageView({ page: 1, pageCount: 3, totalHeld: 25, invoices: fullPage }),
    );
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(visibleText(view.blocks)).toContain('showing 11–20 of 25');
    expect(visibleText(view.blocks)).toContain('Page 2 of 3');
  });

  it('says so when a page has nothing left to decide', () => {
    const view = buildReviewModal(makeReviewPageView({ invoices: [], totalHeld: 0 }));
    expect(visibleText(view.blocks)).toContain('Nothing on this page waits for a decision any more.');
    expect(viewProblems(view)).toEqual([]);
  });
});
