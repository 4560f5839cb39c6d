import { describe, expect, it } from 'vitest';
import { toDryRunView } from '../src/billing-runs/dry-run-view.ts';
import type { RunSummary } from '../src/billing-runs/run-summary.ts';
import { messageBlockProblems, visibleText } from '../test/support/block-kit-queries.ts';
import {
  buildCommandError,
  buildDryRunReply,
  buildInvoiceShowReply,
  buildPeriodNotEndedReply,
  buildRunStartedReply,
  buildRunStatusReply,
} from './command-replies.ts';
import { HOSTILE_NAME, makeRunSummaryView } from '../test/support/view-model-factories.ts';
import type { InvoiceBalanceView, InvoiceShowView } from './view-models.ts';

function makeShowView(overrides: Partial<InvoiceShowView> = {}): InvoiceShowView {
  return {
    invoiceId: 'inv-1',
    number: 'INV-2026-0042',
    status: 'pending_approval',
    customerName: 'Acme Ltd',
    currency: 'GBP',
    total: '12400.00',
    dueDate: '2026-12-01',
    periodLabel: 'October 2026',
    reasons: [{ code: 'first_invoice', text: 'First invoice to this customer' }],
    exceptions: [],
    history: [
      { what: 'drafted', userId: null, at: new Date('2026-11-01T09:00:00Z'), reason: null },
      {
        what: 'rejected',
        userId: 'U1',
        at: new Date('2026-11-01T09:30:00Z'),
        reason: 'Wrong <!channel> rate',
      },
    ],
    balance: null,
    ...overrides,
  };
}

/** INV-2026-0042 for £120.00, after a payment by hand, one from Xero and a credit note. */
function makeSettlingView(balance: Partial<InvoiceBalanceView> = {}): InvoiceShowView {
  return makeShowView({
    status: 'partially_paid',
    total: '120.00',
    reasons: [],
    history: [],
    balance: {
      paid: '50.00',
      credited: '10.00',
      outstanding: '60.00',
      refundDue: '0.00',
      payments: [
        {
          paidOn: '2026-11-19',
          amount: '20.00',
          source: 'manual',
          recordedBy: 'U0APPROVER1',
          reference: null,
          matchedSource: null,
        },
        {
          paidOn: '2026-11-20',
          amount: '30.00',
          source: 'xero',
          recordedBy: 'system:xero',
          reference: 'pay-0001',
          matchedSource: null,
        },
      ],
      creditNotes: [
        {
          number: 'CN-2026-00001',
          issueDate: '2026-11-21',
          amount: '10.00',
          reason: 'one seat was not used',
        },
      ],
      ...balance,
    },
  });
}

/** The amounts on the Balance line, as numbers of pence, in the order they are written. */
function balanceFigures(text: string): number[] {
  const line = /\*Balance\*\n(.*)/.exec(text)?.[1] ?? '';
  return [...line.matchAll(/£([\d,]+\.\d\d)/g)].map((match) =>
    Math.round(Number((match[1] ?? '').replace(/,/g, '')) * 100),
  );
}

const dryRun: RunSummary = {
  id: null,
  trigger: 'command',
  period: { start: '2026-10-01', end: '2026-11-01' },
  scope: 'all customers',
  status: 'drafting',
  startedBy: 'U1',
  createdAt: new Date('2026-11-01T09:00:00Z'),
  counts: { customers: 6, drafted: 4, withExceptions: 1, nothingToBill: 1, alreadyInvoiced: 1 },
  totals: {
    GBP: { invoices: 3, subtotal: '100.00', discount: '0.00', tax: '20.00', total: '120.00' },
    JPY: { invoices: 1, subtotal: '1000', discount: '0', tax: '100', total: '1100' },
  },
  invoices: [
    {
      invoiceId: null,
      customerExternalId: 'cust_acme',
      customerName: HOSTILE_NAME,
      currency: 'GBP',
      lineCount: 2,
      subtotal: '100.00',
      discount: '0.00',
      tax: '20.00',
      total: '120.00',
      dueDate: '2026-12-01',
      exceptions: [{ code: 'no_recipient', message: 'No recipient email: add one to the customer' }],
    },
  ],
};

describe('command replies', () => {
  it('are all ephemeral and pass the local Slack API', () => {
    const replies = [
      buildRunStartedReply({ periodLabel: 'October 2026', dryRun: false }),
      buildRunStatusReply({ summary: makeRunSummaryView(), permalink: null }),
      buildInvoiceShowReply(makeShowView()),
      buildDryRunReply(toDryRunView(dryRun, 'October 2026')),
      buildCommandError('x', 'help'),
      buildPeriodNotEndedReply({ message: 'July 2099 has not ended', period: '2099-07', customers: [] }),
      buildRunStartedReply({ periodLabel: 'July 2099', dryRun: true, note: 'July 2099 has not ended' }),
    ];
    for (const reply of replies) {
      expect(reply.response_type).toBe('ephemeral');
      expect(messageBlockProblems(reply.blocks)).toEqual([]);
      expect(reply.text.length).toBeGreaterThan(0);
    }
  });
});

describe('buildRunStartedReply', () => {
  it('says whether the run is real or a dry run', () => {
    expect(buildRunStartedReply({ periodLabel: 'October 2026', dryRun: false }).text).toBe(
      'Starting the billing run for October 2026. Its summary will be posted in the billing channel.',
    );
    expect(buildRunStartedReply({ periodLabel: 'October 2026', dryRun: true }).text).toContain(
      'nothing will be saved',
    );
  });
});

describe('buildPeriodNotEndedReply', () => {
  const message =
    'July 2099 has not ended: it ends on 2099-07-31 (Europe/London), so usage recorded after now would not be billed';

  it('says when the period ends, that nothing was drafted, and the command that drafts it anyway', () => {
    const reply = buildPeriodNotEndedReply({ message, period: '2099-07', customers: ['acme', 'globex'] });
    const text = visibleText(reply.blocks);
    expect(text).toContain(`:warning: ${message}.`);
    expect(text).toContain(
      'Nothing was drafted. To draft it anyway, type `/invoice run 2099-07 --force acme globex`.',
    );
    expect(text).toContain('`/invoice run 2099-07 --dry acme globex` shows what it would draft');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('it ends on 2099-07-31');
  });

  it('escapes what it echoes', () => {
    const reply = buildPeriodNotEndedReply({ message: HOSTILE_NAME, period: '2099-07', customers: [] });
    expect(JSON.stringify(reply)).not.toMatch(/<!channel>|<@U123>/);
  });
});

describe('buildRunStartedReply with a note', () => {
  it('adds why a dry run may be incomplete under the reply', () => {
    const reply = buildRunStartedReply({
      periodLabel: 'July 2099',
      dryRun: true,
      note: 'July 2099 has not ended',
    });
    expect(visibleText(reply.blocks)).toContain('Note: July 2099 has not ended.');
  });
});

describe('buildRunStatusReply', () => {
  it('gives the status, totals and counts, and links the summary when it was posted', () => {
    const reply = buildRunStatusReply({
      summary: makeRunSummaryView(),
      permalink: 'https://example.slack.com/archives/C0BILLING/p1793526087000200',
    });
    const text = visibleText(reply.blocks);
    expect(text).toContain('*Billing run · October 2026*: :eyes: Waiting for approval');
    expect(text).toContain('• *KWD* KWD\u00a01.250 · 1 invoice');
    expect(text).toContain('9 auto-approved · 5 need review · 1 with exceptions');
    expect(text).toContain(
      '<https://example.slack.com/archives/C0BILLING/p1793526087000200|Open the run summary>',
    );
  });

  it('does not put a link it cannot trust inside a Slack link', () => {
    const reply = buildRunStatusReply({ summary: makeRunSummaryView(), permalink: 'https://x|<!channel>' });
    expect(JSON.stringify(reply)).not.toContain('<!channel>');
    expect(visibleText(reply.blocks)).not.toContain('Open the run summary');
  });
});

describe('buildInvoiceShowReply', () => {
  it('shows the number, customer, total, status, reasons and history', () => {
    const reply = buildInvoiceShowReply(makeShowView());
    const text = visibleText(reply.blocks);
    expect(text).toContain('*Invoice `INV-2026-0042`* · *Acme Ltd* · *£12,400.00*');
    expect(text).toContain('Status: pending approval · October 2026 · due 2026-12-01');
    expect(text).toContain('*Why it needs review*\n• First invoice to this customer');
    expect(text).toContain(
      '*History*\n• <!date^1793523600^{date_short} {time}|2026-11-01 09:00 UTC> · drafted\n• <!date^1793525400^{date_short} {time}|2026-11-01 09:30 UTC> · rejected by <@U1>: Wrong &lt;!channel&gt; rate',
    );
  });

  it('calls an unnumbered invoice a draft and shows what blocks it', () => {
    const reply = buildInvoiceShowReply(
      makeShowView({ number: null, exceptions: [{ code: 'no_recipient', text: 'No recipient email' }] }),
    );
    const text = visibleText(reply.blocks);
    expect(text).toContain('*Draft invoice* · *Acme Ltd*');
    expect(text).toContain(':no_entry: *Fix before approval*\n• No recipient email');
  });

  it('says nothing of payments before an invoice is finalized', () => {
    const text = visibleText(buildInvoiceShowReply(makeShowView()).blocks);
    expect(text).not.toContain('*Payments*');
    expect(text).not.toContain('*Balance*');
  });

  it('lists each payment and credit note, then paid, credited and outstanding that add up', () => {
    const reply = buildInvoiceShowReply(makeSettlingView());
    const text = visibleText(reply.blocks);
    expect(text).toContain('Status: partially paid');
    expect(text).toContain(
      [
        '*Payments*',
        '• 2026-11-19 · £20.00 · recorded in Slack with `/invoice paid` by <@U0APPROVER1>',
        '• 2026-11-20 · £30.00 · from Xero · ref `pay-0001`',
      ].join('\n'),
    );
    expect(text).toContain('*Credit notes*\n• `CN-2026-00001` · 2026-11-21 · £10.00 · one seat was not used');
    expect(text).toContain('*Balance*\n£120.00 total − £50.00 paid − £10.00 credited = *£60.00 outstanding*');
    // In the order people read them: total, the payments, the credit notes, then the balance.
    const order = ['£120.00', '*Payments*', '*Credit notes*', '*Balance*'].map((part) => text.indexOf(part));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const [total = 0, paid = 0, credited = 0, outstanding = -1] = balanceFigures(text);
    expect(total - paid - credited).toBe(outstanding);
    expect(messageBlockProblems(reply.blocks)).toEqual([]);
  });

  it('says a payment recorded by hand was matched to the ERP payment for the same money', () => {
    const text = visibleText(
      buildInvoiceShowReply(
        makeSettlingView({
          paid: '20.00',
          outstanding: '90.00',
          payments: [
            {
              paidOn: '2026-11-19',
              amount: '20.00',
              source: 'manual',
              recordedBy: 'U0APPROVER1',
              reference: 'qb-77',
              matchedSource: 'quickbooks',
            },
          ],
        }),
      ).blocks,
    );
    expect(text).toContain(
      '• 2026-11-19 · £20.00 · recorded in Slack with `/invoice paid` by <@U0APPROVER1> · matched to QuickBooks payment `qb-77`',
    );
  });

  it('says when none were recorded, and the whole total is outstanding', () => {
    const text = visibleText(
      buildInvoiceShowReply(
        makeSettlingView({
          paid: '0.00',
          credited: '0.00',
          outstanding: '120.00',
          payments: [],
          creditNotes: [],
        }),
      ).blocks,
    );
    expect(text).toContain('*Payments*\nNone recorded.');
    expect(text).toContain('*Credit notes*\nNone.');
    expect(text).toContain('£120.00 total − £0.00 paid − £0.00 credited = *£120.00 outstanding*');
  });

  it('gives the refund due when a paid invoice is credited, not a negative debt', () => {
    const text = visibleText(
      buildInvoiceShowReply(
        makeSettlingView({ paid: '120.00', credited: '10.00', outstanding: '0.00', refundDue: '10.00' }),
      ).blocks,
    );
    expect(text).toContain(
      '£120.00 total − £120.00 paid − £10.00 credited = *£10.00 due back* to the customer (nothing outstanding)',
    );
    const [total = 0, paid = 0, credited = 0, refund = 0] = balanceFigures(text);
    expect(paid + credited - total).toBe(refund);
  });

  it('says a void invoice owes nothing', () => {
    const unpaid = { paid: '0.00', credited: '0.00', outstanding: '120.00', payments: [], creditNotes: [] };
    const text = visibleText(buildInvoiceShowReply({ ...makeSettlingView(unpaid), status: 'void' }).blocks);
    expect(text).toContain('£120.00 total − £0.00 paid − £0.00 credited · void: nothing is owed');
    expect(text).not.toContain('outstanding');
  });

  it('escapes what came from outside and keeps a long list within Slack limits', () => {
    const payments = Array.from({ length: 45 }, (_, index) => ({
      paidOn: '2026-11-19',
      amount: '1.00',
      source: 'xero' as const,
      recordedBy: 'system:xero',
      reference: `<!channel> ${index} \``,
      matchedSource: null,
    }));
    const reply = buildInvoiceShowReply(
      makeSettlingView({
        payments,
        creditNotes: [
          {
            number: 'CN-1',
            issueDate: '2026-11-21',
            amount: '10.00',
            reason: `*bold* <@U1> ${'x'.repeat(900)}`,
          },
        ],
      }),
    );
    const text = visibleText(reply.blocks);
    expect(JSON.stringify(reply)).not.toContain('<!channel>');
    expect(text).not.toContain('<@U1>');
    expect(text).toContain('_and 25 more_');
    expect(messageBlockProblems(reply.blocks)).toEqual([]);
  });

  it('keeps the latest entries of a long history', () => {
    const at = new Date('2026-11-01T09:00:00Z');
    const short = Array.from({ length: 60 }, (_, index) => ({
      what: `step ${index}`,
      userId: null,
      at,
      reason: null,
    }));
    const text = visibleText(buildInvoiceShowReply(makeShowView({ history: short })).blocks);
    expect(text).toContain(
      '_40 earlier entries not shown_\n• <!date^1793523600^{date_short} {time}|2026-11-01 09:00 UTC> · step 40\n',
    );
    expect(text).toContain('step 59');

    const long = short.map((entry) => ({ ...entry, reason: '&'.repeat(900) }));
    const reply = buildInvoiceShowReply(makeShowView({ history: long }));
    expect(visibleText(reply.blocks)).toContain('step 59: ');
    expect(visibleText(reply.blocks)).toMatch(/_\d+ earlier entries not shown_/);
    expect(messageBlockProblems(reply.blocks)).toEqual([]);
  });
});

describe('buildDryRunReply', () => {
  it('says nothing was saved and gives totals per currency, counts and exceptions, escaped', () => {
    const reply = buildDryRunReply(toDryRunView(dryRun, 'October 2026'));
    const text = visibleText(reply.blocks);
    expect(text).toContain('*Dry run for October 2026* (all customers): nothing was saved.');
    expect(text).toContain('• *GBP* £120.00 · 3 invoices\n• *JPY* JP¥1,100 · 1 invoice');
    expect(text).toContain('*Would be drafted*\n4');
    expect(text).toContain(
      '`cust_acme` &lt;!channel&gt; \u2217Acme\u2217 &amp; &lt;@U123&gt;: No recipient email: add one to the customer',
    );
    expect(JSON.stringify(reply)).not.toMatch(/<!channel>|<@U123>/);
    expect(reply.text).toBe('Dry run for October 2026: 4 invoices would be drafted, 1 with exceptions.');
  });
});

describe('buildCommandError', () => {
  it('says what was wrong, then how to type the command', () => {
    const reply = buildCommandError(
      '"2026-13" is not a month; expected YYYY-MM such as 2026-10',
      'run [period] [--dry] [customer…]',
    );
    const text = visibleText(reply.blocks);
    expect(text.indexOf('is not a month')).toBeLessThan(text.indexOf('Usage'));
    expect(text).toContain('Usage: `/invoice run [period] [--dry] [customer…]`');
    expect(reply.response_type).toBe('ephemeral');
  });

  it('escapes the echoed input', () => {
    const reply = buildCommandError(
      'Unknown customer <!channel>',
      '/invoice show <invoice number | customer id>',
    );
    expect(JSON.stringify(reply)).not.toContain('<!channel>');
    expect(visibleText(reply.blocks)).toContain('`/invoice show &lt;invoice number | customer id&gt;`');
  });
});
