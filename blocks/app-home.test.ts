import { describe, expect, it } from 'vitest';
import { buildAppHome, HOME_PENDING_SHOWN } from './app-home.ts';
import { buttonsWithActionId, viewProblems, visibleText } from '../test/support/block-kit-queries.ts';
import { APPROVE_INVOICE, type InvoiceButtonValue } from './ids.ts';
import { HOSTILE_NAME, makeAppHomeView, makeHeldInvoiceRow } from '../test/support/view-model-factories.ts';

describe('buildAppHome', () => {
  it('shows what waits for this approver, with the card buttons', () => {
    const view = buildAppHome(makeAppHomeView());
    expect(view.type).toBe('home');
    const text = visibleText(view.blocks);
    expect(text).toContain('*Waiting for your approval* (1)');
    expect(text).toContain('*Acme Ltd* · £12,400.00');
    const [approve] = buttonsWithActionId(view.blocks, APPROVE_INVOICE);
    expect(JSON.parse(approve?.value ?? '') as InvoiceButtonValue).toEqual({
      invoiceId: 'inv-0001',
      version: 1,
    });
    expect(viewProblems(view)).toEqual([]);
  });

  it('tells someone who is not an approver that nothing waits for them', () => {
    const view = buildAppHome(makeAppHomeView({ isApprover: false, pending: [], pendingCount: 0 }));
    expect(visibleText(view.blocks)).toContain('You are not an approver, so no invoice waits for you.');
    expect(buttonsWithActionId(view.blocks, APPROVE_INVOICE)).toEqual([]);
  });

  it('links runs in progress to their summary message when it is known', () => {
    const view = buildAppHome(
      makeAppHomeView({
        runs: [
          {
            runId: 'r1',
            periodLabel: 'October 2026',
            status: 'awaiting_approval',
            needsReview: 5,
            channelId: 'C0BILLING',
            ts: '1793526087.000200',
          },
          {
            runId: 'r2',
            periodLabel: 'September 2026',
            status: 'drafting',
            needsReview: 0,
            channelId: null,
            ts: null,
          },
          {
            runId: 'r3',
            periodLabel: 'August 2026',
            status: 'awaiting_approval',
            needsReview: 1,
            channelId: 'C0BILLING',
            ts: '1|<!channel>',
          },
        ],
      }),
    );
    const text = visibleText(view.blocks);
    expect(text).toContain(
      '• <https://slack.com/archives/C0BILLING/p1793526087000200|October 2026>: waiting for approval · 5 invoices need review',
    );
    expect(text).toContain('• *September 2026*: drafting invoices');
    expect(text).toContain('• *August 2026*: waiting for approval · 1 invoice needs review');
    expect(JSON.stringify(view)).not.toContain('<!channel>');
  });

  it('lists recent failures with their time for Slack to localise, escaped', () => {
    const view = buildAppHome(
      makeAppHomeView({ failures: [{ text: 'Xero said <!channel>', at: new Date('2026-11-01T10:02:00Z') }] }),
    );
    expect(visibleText(view.blocks)).toContain(
      '*Recent failures*\n• <!date^1793527320^{date_short} {time}|2026-11-01 10:02 UTC>: Xero said &lt;!channel&gt;',
    );
  });

  it("shows this month's totals per currency", () => {
    const view = buildAppHome(
      makeAppHomeView({
        monthTotals: {
          monthLabel: 'November 2026',
          totals: [
            { currency: 'GBP', invoices: 3, total: '3000.00' },
            { currency: 'JPY', invoices: 1, total: '5000' },
          ],
        },
      }),
    );
    expect(visibleText(view.blocks)).toContain(
      '*Totals for November 2026*\n• *GBP* £3,000.00 · 3 invoices\n• *JPY* JP¥5,000 · 1 invoice',
    );
  });

  it('reads well when everything is empty', () => {
    const view = buildAppHome(
      makeAppHomeView({
        pending: [],
        pendingCount: 0,
        runs: [],
        failures: [],
        monthTotals: { monthLabel: 'November 2026', totals: [] },
      }),
    );
    const text = visibleText(view.blocks);
    expect(text).toContain('*Waiting for your approval*\nNothing right now.');
    expect(text).toContain('*Runs in progress*\nNo billing run in progress.');
    expect(text).toContain('*Recent failures*\nNone.');
    expect(text).toContain('Nothing invoiced yet this month.');
    expect(viewProblems(view)).toEqual([]);
  });

  it('stays within the limits with many pending invoices, runs and failures', () => {
    const view = buildAppHome(
      makeAppHomeView({
        pending: Array.from({ length: 200 }, (_, index) =>
          makeHeldInvoiceRow({
            invoiceId: `inv-${index}`,
            customerName: HOSTILE_NAME.repeat(50),
            reasons: Array.from({ length: 10 }, () => ({ code: 'x', text: '&'.repeat(1000) })),
          }),
        ),
        pendingCount: 200,
        runs: Array.from({ length: 100 }, (_, index) => ({
          runId: `r${index}`,
          periodLabel: 'P'.repeat(300),
          status: 'awaiting_approval',
          needsReview: index,
          channelId: 'C0BILLING',
          ts: `17935260${index}.000200`,
        })),
        failures: Array.from({ length: 100 }, () => ({ text: '<'.repeat(2000), at: new Date() })),
        monthTotals: {
          monthLabel: 'November 2026',
          totals: Array.from({ length: 100 }, () => ({ currency: 'EUR', invoices: 1, total: '1.00' })),
        },
      }),
    );
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(buttonsWithActionId(view.blocks, APPROVE_INVOICE)).toHaveLength(HOME_PENDING_SHOWN);
    expect(visibleText(view.blocks)).toContain(`${200 - HOME_PENDING_SHOWN} more invoices wait for you`);
  });
});
