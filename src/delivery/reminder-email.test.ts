import { DEFAULT_CREDIT_NOTE_EMAIL } from '../billing-config/billing-config-schema.ts';
import { describe, expect, it } from 'vitest';
import type { EmailTemplates, ReminderStep, Seller } from '../billing-config/billing-config.ts';
import { invoiceMessageId } from './invoice-email.ts';
import { buildReminderEmail, reminderMessageId, type ReminderEmailInput } from './reminder-email.ts';

const INVOICE_ID = '7f1c1b1e-8d7a-4f3e-9a51-0c1d2e3f4a5b';

const templates: EmailTemplates = {
  from: 'Example Software Billing <billing@seller.example>',
  replyTo: 'accounts@seller.example',
  subject: 'Invoice {invoice_number} from {seller_name}',
  text: 'The invoice email, not a reminder',
  html: undefined,
  creditNote: { ...DEFAULT_CREDIT_NOTE_EMAIL, html: undefined },
};
const seller: Seller = {
  name: 'Example Software Ltd',
  addressLines: [],
  taxId: undefined,
  email: undefined,
  phone: undefined,
};
const step: ReminderStep = {
  days: 7,
  subject: 'Invoice {invoice_number} is a week overdue',
  text: 'Hello {customer_name},\n\n{outstanding} of {total} is outstanding ({amount_paid} paid); it was due on {due_date}.',
  html: undefined,
};

const input = (overrides: Partial<ReminderEmailInput> = {}): ReminderEmailInput => ({
  templates,
  seller,
  step,
  outstanding: '1034.5',
  amountPaid: '200',
  invoice: {
    id: INVOICE_ID,
    number: 'INV-2026-00042',
    customerName: 'Zoë & Partners <Ltd>',
    total: '1234.5',
    currency: 'GBP',
    dueDate: '2026-03-31',
    issueDate: '2026-03-01',
    periodLabel: 'February 2026',
    payLink: undefined,
  },
  recipients: { to: ['ap@customer.example'], cc: [] },
  pdf: Buffer.from('%PDF-1.7 reminder'),
  messageIdDomain: 'seller.example',
  ...overrides,
});

describe('buildReminderEmail', () => {
  it("fills the step's templates, with what is outstanding, from the invoice email's sender", () => {
    const mail = buildReminderEmail(input());
    expect(mail.from).toBe('"Example Software Billing" <billing@seller.example>');
    expect(mail.replyTo).toBe('accounts@seller.example');
    expect(mail.subject).toBe('Invoice INV-2026-00042 is a week overdue');
    expect(mail.text).toBe(
      'Hello Zoë & Partners <Ltd>,\n\n£1,034.50 of £1,234.50 is outstanding (£200.00 paid); it was due on 2026-03-31.',
    );
    expect(mail.html).toContain('<p>Hello Zoë &amp; Partners &lt;Ltd&gt;,</p>');
  });

  it('attaches the invoice PDF again', () => {
    expect(buildReminderEmail(input()).attachments).toEqual([
      {
        filename: 'INV-2026-00042.pdf',
        content: Buffer.from('%PDF-1.7 reminder'),
        contentType: 'application/pdf',
      },
    ]);
  });

  it('uses the step html when there is one, escaping the values', () => {
    const mail = buildReminderEmail(
      input({ step: { ...step, html: '<p>{customer_name}: {outstanding}</p>' } }),
    );
    expect(mail.html).toBe('<p>Zoë &amp; Partners &lt;Ltd&gt;: £1,034.50</p>');
  });

  it('carries a Message-ID of its own per step, never the invoice email one', () => {
    const mail = buildReminderEmail(input());
    expect(mail.messageId).toBe(`<reminder-${INVOICE_ID}-day7@seller.example>`);
    expect(reminderMessageId(INVOICE_ID, -3, 'seller.example')).toBe(
      `<reminder-${INVOICE_ID}-day-3@seller.example>`,
    );
    expect(mail.messageId).not.toBe(invoiceMessageId(INVOICE_ID, 'seller.example'));
  });
});
