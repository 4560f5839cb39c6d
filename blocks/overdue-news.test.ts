import { describe, expect, it } from 'vitest';
import { messageBlockProblems, visibleText } from '../test/support/block-kit-queries.ts';
import {
  buildOverdueDigest,
  buildOverdueEscalation,
  OVERDUE_LIST_MAX,
  type OverdueInvoiceView,
} from './overdue-news.ts';
import { buildReminderSentNotice } from './reminder-news.ts';

const invoice = (index: number, overrides: Partial<OverdueInvoiceView> = {}): OverdueInvoiceView => ({
  number: `INV-2026-${String(index).padStart(5, '0')}`,
  customerName: `Customer ${index}`,
  outstanding: '100.00',
  currency: 'GBP',
  dueDate: '2026-11-03',
  daysOverdue: 2,
  threadLink: null,
  ...overrides,
});

describe('buildOverdueDigest', () => {
  it('counts and totals every invoice per currency, and lists the first ones by name', () => {
    const invoices = [
      ...Array.from({ length: 24 }, (_, index) => invoice(index + 1)),
      invoice(25, { currency: 'EUR', outstanding: '0.5' }),
    ];
    const digest = buildOverdueDigest({ date: '2026-11-05', invoices, escalateAfterDays: 30 });
    expect(digest.text).toBe('25 overdue invoices on 2026-11-05: £2,400.00 · €0.50 outstanding');
    const text = visibleText(digest.blocks);
    expect(text.split('\n').filter((line) => line.startsWith('•'))).toHaveLength(OVERDUE_LIST_MAX);
    expect(text).toContain('and 5 more');
    expect(text).toContain('overdue more than 30 days are also raised in the alerts channel');
    expect(messageBlockProblems(digest.blocks)).toEqual([]);
  });

  it("links each invoice to its thread and keeps a customer's name from formatting the message", () => {
    const digest = buildOverdueDigest({
      date: '2026-11-05',
      invoices: [
        invoice(1, {
          customerName: '*Bold* <!channel> _Co_',
          threadLink: 'https://slack.com/archives/C0APPROVALS/p1700000000000100',
          daysOverdue: 1,
        }),
      ],
      escalateAfterDays: 1,
    });
    const json = JSON.stringify(digest.blocks);
    expect(json).toContain('<https://slack.com/archives/C0APPROVALS/p1700000000000100|*INV-2026-00001*>');
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('*Bold*');
    expect(visibleText(digest.blocks)).toContain('(1 day overdue)');
  });
});

describe('buildOverdueEscalation', () => {
  it('says how many crossed the line, how much is at stake, and lists them', () => {
    const alert = buildOverdueEscalation({
      escalateAfterDays: 30,
      invoices: [invoice(1, { daysOverdue: 31 }), invoice(2, { daysOverdue: 45, outstanding: '20.5' })],
    });
    expect(alert.text).toBe('2 invoices overdue more than 30 days: £120.50');
    expect(visibleText(alert.blocks)).toContain(
      '*INV-2026-00002* · Customer 2 · £20.50 outstanding · due 2026-11-03 (45 days overdue)',
    );
    expect(visibleText(alert.blocks)).toContain('Time for a person to chase them.');
    expect(messageBlockProblems(alert.blocks)).toEqual([]);
  });
});

describe('buildReminderSentNotice', () => {
  it('names the invoice, the step and the recipients', () => {
    const notice = buildReminderSentNotice({
      number: 'INV-2026-00001',
      days: -3,
      recipients: ['ap@acme.example', 'cfo@acme.example'],
    });
    expect(notice.text).toBe(
      'Reminder sent for INV-2026-00001 (3 days before the due date) to ap@acme.example, cfo@acme.example',
    );
    expect(visibleText(notice.blocks)).toContain('ap@acme.example and cfo@acme.example');
    expect(messageBlockProblems(notice.blocks)).toEqual([]);
  });
});
