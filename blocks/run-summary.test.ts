import type { HeaderBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  buttonsWithActionId,
  allButtons,
  messageBlockProblems,
  visibleText,
} from '../test/support/block-kit-queries.ts';
import { APPROVE_ALL_WITHIN_POLICY, EXPORT_RUN_CSV, REVIEW_RUN } from './ids.ts';
import { buildRunSummary } from './run-summary.ts';
import { makeRunSummaryView } from '../test/support/view-model-factories.ts';

describe('buildRunSummary', () => {
  it('heads the message with the period and passes the local Slack API', () => {
    const message = buildRunSummary(makeRunSummaryView());
    expect(message.blocks[0]).toEqual<HeaderBlock>({
      type: 'header',
      text: { type: 'plain_text', text: 'Billing run · October 2026', emoji: true },
    });
    expect(messageBlockProblems(message.blocks)).toEqual([]);
    expect(message.text).toBe('Billing run · October 2026: Waiting for approval, 5 invoices need review');
  });

  it('mentions the person who started it, and writes a system actor as inert text', () => {
    expect(visibleText(buildRunSummary(makeRunSummaryView()).blocks)).toContain('Started by <@U0STARTER>');
    const scheduled = visibleText(
      buildRunSummary(makeRunSummaryView({ startedBy: 'schedule:monthly' })).blocks,
    );
    expect(scheduled).toContain('Started by schedule:monthly');
    const hostile = visibleText(buildRunSummary(makeRunSummaryView({ startedBy: '<!channel>' })).blocks);
    expect(hostile).toContain('Started by &lt;!channel&gt;');
    expect(hostile).not.toContain('<!channel>');
  });

  it('lists a total per currency in its own format and never adds currencies together', () => {
    const text = visibleText(
      buildRunSummary(
        makeRunSummaryView({
          totals: [
            { currency: 'GBP', invoices: 14, total: '100.00' },
            { currency: 'JPY', invoices: 2, total: '1200' },
            { currency: 'KWD', invoices: 1, total: '1.25' },
          ],
        }),
      ).blocks,
    );
    expect(text).toContain('• *GBP* £100.00 · 14 invoices');
    expect(text).toContain('• *JPY* JP¥1,200 · 2 invoices');
    expect(text).toContain('• *KWD* KWD\u00a01.250 · 1 invoice');
    expect(text).not.toMatch(/1,301|1301/);
  });

  it('counts every outcome of the run', () => {
    const text = visibleText(buildRunSummary(makeRunSummaryView()).blocks);
    for (const count of [
      '*Auto-approved*\n9',
      '*Needs review*\n5',
      '*Exceptions*\n1',
      '*Approved*\n2',
      '*Rejected*\n0',
      '*Nothing to bill*\n4',
      '*Already invoiced*\n3',
    ]) {
      expect(text).toContain(count);
    }
  });

  it("says when it was updated, in each reader's own time", () => {
    expect(visibleText(buildRunSummary(makeRunSummaryView()).blocks)).toContain(
      'Updated <!date^1793526087^{time}|09:41 UTC>',
    );
  });

  it('points to Review for held invoices that got no card of their own', () => {
    const without = visibleText(buildRunSummary(makeRunSummaryView({ withoutCards: 12 })).blocks);
    expect(without).toContain('12 held invoices have no card of their own; open them with *Review*.');
    expect(visibleText(buildRunSummary(makeRunSummaryView()).blocks)).not.toContain('no card of their own');
  });

  it('offers Review, Approve all within policy (confirmed, with the count) and Export CSV, each carrying the run id', () => {
    const { blocks } = buildRunSummary(makeRunSummaryView());
    expect(allButtons(blocks).map((button) => button.action_id)).toEqual([
      REVIEW_RUN,
      APPROVE_ALL_WITHIN_POLICY,
      EXPORT_RUN_CSV,
    ]);
    for (const button of allButtons(blocks)) expect(button.value).toBe('run-7f3a');
    const [approveAll] = buttonsWithActionId(blocks, APPROVE_ALL_WITHIN_POLICY);
    expect(approveAll?.style).toBe('primary');
    expect(approveAll?.confirm?.title?.text).toBe('Approve 5 invoices?');
    expect(approveAll?.confirm?.text.text).toContain('the 5 invoices waiting for review');
    expect(approveAll?.confirm?.text.text).toContain('Invoices with exceptions stay held');
  });

  it('keeps only Export CSV when nothing is left to decide', () => {
    const done = buildRunSummary(
      makeRunSummaryView({
        status: 'completed',
        counts: { ...makeRunSummaryView().counts, needsReview: 0 },
      }),
    );
    expect(allButtons(done.blocks).map((button) => button.action_id)).toEqual([EXPORT_RUN_CSV]);
    const noneLeft = buildRunSummary(
      makeRunSummaryView({ counts: { ...makeRunSummaryView().counts, needsReview: 0 } }),
    );
    expect(allButtons(noneLeft.blocks).map((button) => button.action_id)).toEqual([EXPORT_RUN_CSV]);
  });

  it('offers no decisions while invoices are still being drafted', () => {
    const drafting = buildRunSummary(makeRunSummaryView({ status: 'drafting' }));
    expect(allButtons(drafting.blocks).map((button) => button.action_id)).toEqual([EXPORT_RUN_CSV]);
    expect(visibleText(drafting.blocks)).toContain('Drafting invoices… (17 drafted so far)');
  });

  it('stays within the limits with many currencies and a long scope', () => {
    const message = buildRunSummary(
      makeRunSummaryView({
        periodLabel: 'P'.repeat(400),
        scope: `<!here> ${'cust_'.repeat(2000)}`,
        totals: Intl.supportedValuesOf('currency')
          .slice(0, 150)
          .map((currency) => ({ currency, invoices: 1000, total: '123456789.99' })),
        withoutCards: 975,
      }),
    );
    expect(messageBlockProblems(message.blocks)).toEqual([]);
    expect(visibleText(message.blocks)).not.toContain('<!here>');
  });
});
