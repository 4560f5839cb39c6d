import { describe, expect, it } from 'vitest';
import { buildApprovalCard, buildDecidedCard } from './approval-card.ts';
import {
  allButtons,
  buttonsWithActionId,
  messageBlockProblems,
  visibleText,
} from '../test/support/block-kit-queries.ts';
import { APPROVE_INVOICE, INVOICE_DETAILS, REJECT_INVOICE, type InvoiceButtonValue } from './ids.ts';
import { HOSTILE_NAME, makeApprovalCardView } from '../test/support/view-model-factories.ts';
import type { AfterApproval } from './view-models.ts';

function buttonValue(blocks: Parameters<typeof allButtons>[0], actionId: string): InvoiceButtonValue {
  const [found] = buttonsWithActionId(blocks, actionId);
  return JSON.parse(found?.value ?? 'null') as InvoiceButtonValue;
}

const manyLines = Array.from({ length: 60 }, (_, index) => ({
  description: `Usage line ${index + 1}`,
  quantity: String(index + 1),
  amount: `${(index + 1) * 10}.00`,
}));

describe('buildApprovalCard', () => {
  it('offers Approve, Reject and Details, each carrying the invoice and the version on the card', () => {
    const { blocks } = buildApprovalCard(makeApprovalCardView({ invoiceId: 'inv-42', version: 7 }));
    expect(allButtons(blocks).map((button) => button.action_id)).toEqual([
      APPROVE_INVOICE,
      REJECT_INVOICE,
      INVOICE_DETAILS,
    ]);
    for (const actionId of [APPROVE_INVOICE, REJECT_INVOICE, INVOICE_DETAILS]) {
      expect(buttonValue(blocks, actionId)).toEqual({ invoiceId: 'inv-42', version: 7 });
    }
    expect(buttonsWithActionId(blocks, APPROVE_INVOICE)[0]?.style).toBe('primary');
    expect(buttonsWithActionId(blocks, REJECT_INVOICE)[0]?.style).toBe('danger');
    expect(messageBlockProblems(blocks)).toEqual([]);
  });

  it('asks for confirmation naming the customer and the formatted total', () => {
    const { blocks } = buildApprovalCard(makeApprovalCardView());
    const confirm = buttonsWithActionId(blocks, APPROVE_INVOICE)[0]?.confirm;
    expect(confirm?.text.text).toBe('Approve the invoice to *Acme Ltd* for *£12,400.00*?');
    expect(confirm?.confirm?.text).toBe('Approve');
    expect(confirm?.deny?.text).toBe('Cancel');
  });

  it('shows the total as a sum that adds up, with the tax named, the due date and the period', () => {
    const text = visibleText(buildApprovalCard(makeApprovalCardView()).blocks);
    expect(text).toContain('*Acme Ltd* `cust_acme`');
    expect(text).toContain('*£12,400.00* = £10,333.33 + VAT 20% £2,066.67');
    expect(text).toContain('Due 2026-12-01 · October 2026');
  });

  it('formats amounts in the currency of the invoice', () => {
    const yen = visibleText(
      buildApprovalCard(
        makeApprovalCardView({ currency: 'JPY', total: '1200', subtotal: '1000', tax: '200', lines: [] }),
      ).blocks,
    );
    expect(yen).toContain('*JP¥1,200* = JP¥1,000 + VAT 20% JP¥200');
    const dinar = visibleText(
      buildApprovalCard(
        makeApprovalCardView({ currency: 'KWD', total: '1.25', subtotal: '1.25', tax: '0', lines: [] }),
      ).blocks,
    );
    expect(dinar).toContain('*KWD\u00a01.250* = KWD\u00a01.250 + VAT 20% KWD\u00a00.000');
  });

  it('escapes a hostile customer name everywhere, including the confirm dialog and the notification', () => {
    const message = buildApprovalCard(
      makeApprovalCardView({
        customerName: HOSTILE_NAME,
        lines: [{ description: '<!here> *free* money', quantity: '1', amount: '1.00' }],
        reasons: [{ code: 'x', text: '<@U999> said so & more' }],
      }),
    );
    const everything = JSON.stringify(message);
    for (const live of ['<!channel>', '<@U123>', '<!here>', '<@U999>', '*Acme*', '*free*', ' & ']) {
      expect(everything).not.toContain(live);
    }
    expect(visibleText(message.blocks)).toContain('&lt;!channel&gt; \u2217Acme\u2217 &amp; &lt;@U123&gt;');
    expect(message.text).toContain('&lt;!channel&gt;');
  });

  it('shows the five largest lines with quantities, then how many more there are', () => {
    const message = buildApprovalCard(makeApprovalCardView({ lines: manyLines }));
    const text = visibleText(message.blocks);
    expect(text).toContain(
      [
        '*Largest lines*',
        '• Usage line 60 × 60: £600.00',
        '• Usage line 59 × 59: £590.00',
        '• Usage line 58 × 58: £580.00',
        '• Usage line 57 × 57: £570.00',
        '• Usage line 56 × 56: £560.00',
        '_and 55 more lines_',
      ].join('\n'),
    );
    expect(text).not.toContain('Usage line 55 ');
    expect(messageBlockProblems(message.blocks)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('ranks a large credit among the largest lines and groups big quantities', () => {
    const text = visibleText(
      buildApprovalCard(
        makeApprovalCardView({
          lines: [
            { description: 'Seats', quantity: '12', amount: '1200.00' },
            { description: 'Goodwill credit', quantity: '1', amount: '-5000.00' },
            { description: 'API requests', quantity: '1200000', amount: '9000.00' },
          ],
        }),
      ).blocks,
    );
    expect(text).toContain(
      '• API requests × 1,200,000: £9,000.00\n• Goodwill credit × 1: -£5,000.00\n• Seats × 12: £1,200.00',
    );
    expect(text).not.toContain('more line');
  });

  it('says why it waits and how the total moved against the last invoice', () => {
    const text = visibleText(buildApprovalCard(makeApprovalCardView()).blocks);
    expect(text).toContain(
      '*Why it needs review*\n• Total £12,400.00 is over the £1,000.00 auto-approval limit',
    );
    expect(text).toContain('*Against the last invoice:* +24% (last time £10,000.00)');
    const drop = visibleText(
      buildApprovalCard(makeApprovalCardView({ change: { previousTotal: '20000.00', percent: '-38.0' } }))
        .blocks,
    );
    expect(drop).toContain('-38.0% (last time £20,000.00)');
  });

  it('says when this is the first invoice to the customer, once', () => {
    const text = visibleText(buildApprovalCard(makeApprovalCardView({ change: null })).blocks);
    expect(text).toContain(':new: First invoice to this customer');

    const heldForIt = visibleText(
      buildApprovalCard(
        makeApprovalCardView({
          change: null,
          reasons: [{ code: 'first_invoice', text: 'First invoice to this customer' }],
        }),
      ).blocks,
    );
    expect(heldForIt).toContain('*Why it needs review*\n• First invoice to this customer');
    expect(heldForIt.split('First invoice to this customer')).toHaveLength(2);
  });

  it('blocks approval while there are exceptions: a clear heading and no Approve button', () => {
    const message = buildApprovalCard(
      makeApprovalCardView({
        exceptions: [{ code: 'no_recipient', text: 'No recipient email: add one to the customer' }],
      }),
    );
    expect(visibleText(message.blocks)).toContain(
      ':no_entry: *Fix before approval*\n• No recipient email: add one to the customer',
    );
    expect(buttonsWithActionId(message.blocks, APPROVE_INVOICE)).toEqual([]);
    expect(allButtons(message.blocks).map((button) => button.action_id)).toEqual([
      REJECT_INVOICE,
      INVOICE_DETAILS,
    ]);
    expect(message.text).toContain('blocked');
    // NOTE: it offers no Approve button, so it does not speak of approvals needed.
    expect(visibleText(message.blocks)).not.toContain('Needs 1 approval');
    expect(visibleText(message.blocks)).toContain('No Approve button until the problems above are fixed');
  });

  it('shows approval progress when two approvals are needed', () => {
    const first = buildApprovalCard(makeApprovalCardView({ approvalsRequired: 2 }));
    expect(visibleText(first.blocks)).toContain('Needs 2 approvals from different people');
    expect(buttonsWithActionId(first.blocks, APPROVE_INVOICE)[0]?.confirm?.text.text).toContain(
      'A second approver is still needed after you.',
    );
    const second = buildApprovalCard(
      makeApprovalCardView({
        approvalsRequired: 2,
        approvals: [{ userId: 'U1', at: new Date('2026-11-01T10:00:00Z') }],
      }),
    );
    expect(visibleText(second.blocks)).toContain('1 of 2 approvals: <@U1>');
    expect(buttonsWithActionId(second.blocks, APPROVE_INVOICE)[0]?.confirm?.text.text).not.toContain(
      'second approver',
    );
  });

  it('stays within Slack limits whatever the texts', () => {
    const long = 'x&<'.repeat(4000);
    const message = buildApprovalCard(
      makeApprovalCardView({
        customerName: long,
        customerExternalId: long,
        periodLabel: long,
        lines: manyLines.map((line) => ({ ...line, description: long })),
        reasons: Array.from({ length: 40 }, () => ({ code: 'x', text: long })),
        exceptions: Array.from({ length: 40 }, () => ({ code: 'y', text: long })),
      }),
    );
    expect(messageBlockProblems(message.blocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    const confirm = buttonsWithActionId(
      buildApprovalCard(makeApprovalCardView({ customerName: long })).blocks,
      APPROVE_INVOICE,
    )[0]?.confirm;
    expect(confirm?.text.text.length).toBeLessThanOrEqual(300);
  });
});

describe('buildDecidedCard', () => {
  const at = new Date('2026-11-01T14:05:00Z');

  it('keeps the facts, removes Approve and Reject, and says who approved and when', () => {
    const view = makeApprovalCardView({ approvalsRequired: 2 });
    const message = buildDecidedCard(view, { decision: 'approved', userIds: ['U1', 'U2'], at });
    expect(allButtons(message.blocks).map((button) => button.action_id)).toEqual([INVOICE_DETAILS]);
    const text = visibleText(message.blocks);
    expect(text).toContain('✅ Approved by <@U1> and <@U2> at <!date^1793541900^{time}|14:05 UTC>');
    expect(text).toContain('*£12,400.00* = £10,333.33 + VAT 20% £2,066.67');
    expect(text).toContain('*Largest lines*');
    expect(messageBlockProblems(message.blocks)).toEqual([]);
    expect(JSON.parse(allButtons(message.blocks)[0]?.value ?? '')).toEqual({
      invoiceId: 'inv-0001',
      version: 3,
    });
  });

  const issued: AfterApproval = {
    number: 'INV-2026-00042',
    email: 'sent',
    erp: { provider: 'xero', state: 'synced' },
    paid: '0.00',
    credited: '0.00',
    outstanding: '12400.00',
    overdue: false,
    voided: false,
  };
  const decidedWith = (after: Partial<AfterApproval>) =>
    buildDecidedCard(makeApprovalCardView(), {
      decision: 'approved',
      userIds: ['U1'],
      at,
      after: { ...issued, ...after },
    });

  it('says an approved invoice was voided afterwards, in the card and its notification text', () => {
    const message = decidedWith({ voided: true });

    expect(visibleText(message.blocks)).toContain(
      '📄 *INV-2026-00042* · ✉️ emailed · 📒 in Xero · 🚫 voided',
    );
    expect(message.text).toBe('Acme Ltd: £12,400.00 approved, then voided');
  });

  it('follows the ERP posting: on its way, in Xero or QuickBooks, failed', () => {
    const line = (erp: AfterApproval['erp']) => visibleText(decidedWith({ erp }).blocks);
    expect(line(null)).toContain('📄 *INV-2026-00042* · ✉️ emailed\n');
    expect(line({ provider: 'xero', state: 'in_flight' })).toContain('✉️ emailed · posting to Xero…');
    expect(line({ provider: 'quickbooks', state: 'synced' })).toContain('✉️ emailed · 📒 in QuickBooks');
    expect(line({ provider: 'xero', state: 'failed' })).toContain('❌ Xero failed: see the thread');
    expect(line({ provider: 'xero', state: 'skipped' })).not.toContain('Xero');
  });

  it('shows payments and credits as a sum that comes back to the total, in the card and its notification', () => {
    const partly = decidedWith({ paid: '10000.00', credited: '400.00', outstanding: '2000.00' });
    expect(visibleText(partly.blocks)).toContain(
      '📒 in Xero · 💰 £10,000.00 paid + £400.00 credited, £2,000.00 outstanding',
    );
    expect(partly.text).toBe('Acme Ltd: £12,400.00 approved, £2,000.00 outstanding');

    const paid = decidedWith({ paid: '12400.00', outstanding: '0.00' });
    expect(visibleText(paid.blocks)).toContain('💰 £12,400.00 paid, nothing outstanding');
    expect(paid.text).toBe('Acme Ltd: £12,400.00 approved, paid in full');

    const credited = decidedWith({ credited: '12400.00', outstanding: '0.00', voided: true });
    expect(visibleText(credited.blocks)).toContain('💰 £12,400.00 credited, nothing outstanding · 🚫 voided');
  });

  it('says an unpaid invoice past its due date is overdue', () => {
    const late = decidedWith({ overdue: true });
    expect(visibleText(late.blocks)).toContain('📒 in Xero · ⏰ overdue');
    expect(late.text).toBe('Acme Ltd: £12,400.00 approved, overdue');
    const partly = decidedWith({ overdue: true, paid: '400.00', outstanding: '12000.00' });
    expect(visibleText(partly.blocks)).toContain('£400.00 paid, £12,000.00 outstanding ⏰ overdue');
  });

  it('drops "Why it needs review" once decided, and keeps the facts', () => {
    const view = makeApprovalCardView({ reasons: [{ code: 'large_amount', text: 'Over £10,000' }] });
    expect(visibleText(buildApprovalCard(view).blocks)).toContain('Why it needs review');
    const decided = visibleText(buildDecidedCard(view, { decision: 'approved', userIds: ['U1'], at }).blocks);
    expect(decided).not.toContain('Why it needs review');
    expect(decided).toContain('*£12,400.00*');
  });

  it('says who rejected it and why, with the reason escaped', () => {
    const message = buildDecidedCard(makeApprovalCardView(), {
      decision: 'rejected',
      userId: 'U1',
      at,
      reason: 'Wrong rate <!channel> *fix* & resend',
    });
    expect(visibleText(message.blocks)).toContain(
      '❌ Rejected by <@U1> at <!date^1793541900^{time}|14:05 UTC>: Wrong rate &lt;!channel&gt; \u2217fix\u2217 &amp; resend',
    );
    expect(buttonsWithActionId(message.blocks, APPROVE_INVOICE)).toEqual([]);
    expect(buttonsWithActionId(message.blocks, REJECT_INVOICE)).toEqual([]);
  });

  it('has no Approve button even for a blocked invoice, and stays valid with a 1,000-character reason', () => {
    const message = buildDecidedCard(
      makeApprovalCardView({ exceptions: [{ code: 'no_recipient', text: 'No recipient' }] }),
      { decision: 'rejected', userId: 'U1', at, reason: '&'.repeat(1000) },
    );
    expect(allButtons(message.blocks).map((button) => button.action_id)).toEqual([INVOICE_DETAILS]);
    expect(messageBlockProblems(message.blocks)).toEqual([]);
  });
});
