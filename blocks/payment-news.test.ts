import { describe, expect, it } from 'vitest';
import {
  buildPaymentMatchNotice,
  buildPaymentNotice,
  buildPaymentRecordedReply,
  type PaymentNewsView,
} from './payment-news.ts';

function text(message: { blocks: unknown[] }): string {
  return JSON.stringify(message.blocks);
}

const part: PaymentNewsView = {
  number: 'INV-2026-00012',
  currency: 'GBP',
  amount: '40.00',
  amountPaid: '40.00',
  outstanding: '80.00',
  paidOn: '2026-11-20',
  source: 'manual',
  recordedBy: 'U0APPROVER1',
  paidInFull: false,
};

describe('buildPaymentNotice', () => {
  it('tells a part payment with who recorded it and what is still outstanding', () => {
    const notice = buildPaymentNotice(part);
    expect(notice.text).toBe('Payment of £40.00 received for INV-2026-00012; £80.00 outstanding');
    expect(text(notice)).toContain('Payment of *£40.00* received on 2026-11-20 for *INV-2026-00012*');
    expect(text(notice)).toContain('recorded by <@U0APPROVER1>');
    expect(text(notice)).toContain('*£80.00 outstanding*');
    expect(text(notice)).not.toContain('Paid in full');
  });

  it('says "Paid in full" when the payment settles the invoice, naming the ERP it came from', () => {
    const notice = buildPaymentNotice({
      ...part,
      source: 'quickbooks',
      recordedBy: 'system:quickbooks',
      amount: '80.00',
      amountPaid: '120.00',
      outstanding: '0.00',
      paidInFull: true,
    });
    expect(notice.text).toContain('Paid in full: INV-2026-00012');
    expect(text(notice)).toContain('from QuickBooks');
    expect(text(notice)).toContain('£120.00 received in all');
  });

  it('shows an invoice number from outside as text, never as a mention', () => {
    expect(text(buildPaymentNotice({ ...part, number: '<!channel>' }))).not.toContain('<!channel>');
  });
});

describe('buildPaymentRecordedReply', () => {
  it('answers only the person, with where the invoice now stands', () => {
    const reply = buildPaymentRecordedReply(part);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('£80.00 is still outstanding');
    expect(text(buildPaymentRecordedReply({ ...part, paidInFull: true }))).toContain('is now paid in full');
  });
});

describe('buildPaymentMatchNotice', () => {
  it('says the ERP holds the money recorded by hand, and that it is counted once', () => {
    const notice = buildPaymentMatchNotice({
      number: 'INV-2026-00012',
      currency: 'GBP',
      amount: '40.00',
      paidOn: '2026-11-18',
      recordedBy: 'U0APPROVER1',
      matchedSource: 'quickbooks',
    });
    expect(notice.text).toBe(
      'QuickBooks has the £40.00 payment for INV-2026-00012 recorded here too: counted once',
    );
    expect(text(notice)).toContain(
      'QuickBooks has the payment of *£40.00* for *INV-2026-00012* that <@U0APPROVER1> recorded here (received on 2026-11-18): matched to it, counted once.',
    );
  });
});
