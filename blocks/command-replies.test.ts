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
import type { InvoiceShowView } from './view-models.ts';

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
    ...overrides,
  };
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
      '*History*\n• 2026-11-01 09:00 UTC · drafted\n• 2026-11-01 09:30 UTC · rejected by <@U1>: Wrong &lt;!channel&gt; rate',
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

  it('keeps the latest entries of a long history', () => {
    const at = new Date('2026-11-01T09:00:00Z');
    const short = Array.from({ length: 60 }, (_, index) => ({
      what: `step ${index}`,
      userId: null,
      at,
      reason: null,
    }));
    const text = visibleText(buildInvoiceShowReply(makeShowView({ history: short })).blocks);
    expect(text).toContain('_40 earlier entries not shown_\n• 2026-11-01 09:00 UTC · step 40\n');
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
