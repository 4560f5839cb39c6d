import { DEFAULT_CREDIT_NOTE_EMAIL } from '../billing-config/billing-config-schema.ts';
import { createHash, randomBytes } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailTemplates, Seller } from '../billing-config/billing-config.ts';
import { startMailOutbox, type MailOutbox } from '../local/mail-outbox/mail-outbox.ts';
import { buildInvoiceEmail, invoiceMessageId, type InvoiceEmailInput } from './invoice-email.ts';
import { InvalidEmailError } from './mail-address.ts';
import { createSmtpMailer } from './mailer.ts';
import type { Mailer } from '../ports/mailer.ts';

const INVOICE_ID = '7f1c1b1e-8d7a-4f3e-9a51-0c1d2e3f4a5b';

const templates: EmailTemplates = {
  from: 'Example Software Billing <billing@seller.example>',
  replyTo: 'accounts@seller.example',
  subject: 'Invoice {invoice_number} from {seller_name}',
  text: [
    'Hello {customer_name},',
    '',
    'Please find attached invoice {invoice_number} for {period}: {total}, due on {due_date}.',
    'Issued {issue_date}. Pay online: {pay_link}',
    'Reference {po_number}.',
    '',
    'Thank you,',
    '{seller_name}',
  ].join('\n'),
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

// A PDF-looking buffer with every byte value in it, so any re-encoding would show in the hash.
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(64 * 1024)]);

const input = (
  overrides: Partial<InvoiceEmailInput> = {},
  invoice: Partial<InvoiceEmailInput['invoice']> = {},
) =>
  ({
    templates,
    seller,
    invoice: {
      id: INVOICE_ID,
      number: 'INV-2026-00042',
      customerName: 'Zoë & Partners <Ltd>',
      total: '1234.5',
      currency: 'GBP',
      dueDate: '2026-03-31',
      issueDate: '2026-03-01',
      periodLabel: 'February 2026',
      payLink: 'https://pay.example.com/invoices/INV-2026-00042?a=1&b=2',
      ...invoice,
    },
    recipients: { to: ['ap@customer.example'], cc: ['cfo@customer.example'] },
    pdf,
    messageIdDomain: 'seller.example',
    ...overrides,
  }) satisfies InvoiceEmailInput;

describe('buildInvoiceEmail', () => {
  it('fills the placeholders in the subject and text, the total formatted for people', () => {
    const email = buildInvoiceEmail(input());

    expect(email.subject).toBe('Invoice INV-2026-00042 from Example Software Ltd');
    expect(email.text).toContain('Hello Zoë & Partners <Ltd>,');
    expect(email.text).toContain('invoice INV-2026-00042 for February 2026: £1,234.50, due on 2026-03-31.');
    expect(email.text).toContain(
      'Issued 2026-03-01. Pay online: https://pay.example.com/invoices/INV-2026-00042?a=1&b=2',
    );
    expect(email.text).toContain('\nExample Software Ltd');
  });

  it('leaves a placeholder it does not know as written', () => {
    expect(buildInvoiceEmail(input()).text).toContain('Reference {po_number}.');
  });

  it('formats the total in the invoice currency', () => {
    expect(buildInvoiceEmail(input({}, { total: '1200', currency: 'JPY' })).text).toContain('¥1,200,');
  });

  it('builds an escaped HTML body from the text when there is no HTML template', () => {
    const { html } = buildInvoiceEmail(input());

    expect(html).toContain('<p>Hello Zoë &amp; Partners &lt;Ltd&gt;,</p>');
    expect(html).toContain('due on 2026-03-31.<br>');
    expect(html).toContain(
      '<a href="https://pay.example.com/invoices/INV-2026-00042?a=1&amp;b=2">https://pay.example.com/invoices/INV-2026-00042?a=1&amp;b=2</a>',
    );
    expect(html).not.toContain('<Ltd>');
  });

  it('escapes every value put into an HTML template, and only the values', () => {
    const email = buildInvoiceEmail(
      input({
        templates: {
          ...templates,
          html: '<p title="{customer_name}">Dear <b>{customer_name}</b>, {unknown}</p>',
        },
      }),
    );

    expect(email.html).toBe(
      '<p title="Zoë &amp; Partners &lt;Ltd&gt;">Dear <b>Zoë &amp; Partners &lt;Ltd&gt;</b>, {unknown}</p>',
    );
  });

  it('keeps a line break in a customer name out of the subject', () => {
    const email = buildInvoiceEmail(
      input(
        { templates: { ...templates, subject: 'Invoice for {customer_name}' } },
        {
          customerName: 'Acme\r\nBcc: evil@example.com',
        },
      ),
    );

    expect(email.subject).toBe('Invoice for Acme Bcc: evil@example.com');
  });

  it('gives the same Message-ID on every build of the same invoice', () => {
    expect(buildInvoiceEmail(input()).messageId).toBe(`<invoice-${INVOICE_ID}@seller.example>`);
    expect(buildInvoiceEmail(input()).messageId).toBe(buildInvoiceEmail(input()).messageId);
    expect(invoiceMessageId(INVOICE_ID, 'seller.example')).toBe(`<invoice-${INVOICE_ID}@seller.example>`);
  });

  it('attaches the PDF as <number>.pdf', () => {
    expect(buildInvoiceEmail(input()).attachments).toEqual([
      { filename: 'INV-2026-00042.pdf', content: pdf, contentType: 'application/pdf' },
    ]);
  });

  it('sends a copy once per address, To before Cc', () => {
    const email = buildInvoiceEmail(
      input({
        recipients: { to: ['ap@customer.example', 'AP@customer.example'], cc: ['ap@CUSTOMER.example'] },
      }),
    );
    expect(email.to).toEqual(['ap@customer.example']);
    expect(email.cc).toEqual([]);
  });

  it.each([
    ['no address at all', 'Accounts Payable'],
    ['a missing domain', 'ap@'],
    ['two addresses in one entry', 'ap@customer.example, other@customer.example'],
    ['a header smuggled after a line break', 'ap@customer.example\r\nBcc: evil@example.com'],
    ['a bare line feed', 'ap@customer.example\nBcc: evil@example.com'],
    ['a space inside the address', 'a p@customer.example'],
    ['a domain without a dot', 'ap@localhost'],
  ])('refuses a recipient with %s', (_case, address) => {
    expect(() => buildInvoiceEmail(input({ recipients: { to: [address], cc: [] } }))).toThrow(
      InvalidEmailError,
    );
    expect(() =>
      buildInvoiceEmail(input({ recipients: { to: ['ap@customer.example'], cc: [address] } })),
    ).toThrow(InvalidEmailError);
  });

  it('refuses an invoice with no recipient', () => {
    expect(() => buildInvoiceEmail(input({ recipients: { to: [], cc: ['cfo@customer.example'] } }))).toThrow(
      /no recipient/,
    );
  });

  it('refuses a From that is not one address, even one made of a display name and a header', () => {
    expect(() =>
      buildInvoiceEmail(input({ templates: { ...templates, from: 'Billing\r\nBcc: evil@example.com' } })),
    ).toThrow(InvalidEmailError);
  });

  it('keeps a From display name but strips line breaks from it', () => {
    const email = buildInvoiceEmail(
      input({
        templates: { ...templates, from: '"Billing\r\nBcc: evil@example.com" <billing@seller.example>' },
      }),
    );
    expect(email.from).toBe('"Billing Bcc: evil@example.com" <billing@seller.example>');
  });
});

describe('buildInvoiceEmail, sent through a real SMTP server', () => {
  let outbox: MailOutbox;
  let mailer: Mailer;
  beforeAll(async () => {
    outbox = await startMailOutbox();
    mailer = createSmtpMailer(outbox.smtpUrl);
  });
  afterAll(async () => {
    await mailer.close();
    await outbox.stop();
  });

  async function sendAndParse(
    email: ReturnType<typeof buildInvoiceEmail>,
  ): Promise<{ parsed: ParsedMail; to: string[] }> {
    const before = outbox.messages().length;
    expect(await mailer.send(email)).toMatchObject({ outcome: 'sent' });
    const received = outbox.messages()[before];
    if (received === undefined) throw new Error('The outbox received nothing');
    return { parsed: await simpleParser(received.raw), to: received.envelope.to };
  }

  const addresses = (field: AddressObject | AddressObject[] | undefined) =>
    [field ?? []].flat().flatMap((object) => object.value.map(({ name, address }) => ({ name, address })));

  it('arrives with the right headers, bodies and an intact PDF', async () => {
    const { parsed, to } = await sendAndParse(buildInvoiceEmail(input()));

    expect(parsed.subject).toBe('Invoice INV-2026-00042 from Example Software Ltd');
    expect(addresses(parsed.from)).toEqual([
      { name: 'Example Software Billing', address: 'billing@seller.example' },
    ]);
    expect(addresses(parsed.replyTo)).toEqual([{ name: '', address: 'accounts@seller.example' }]);
    expect(addresses(parsed.to)).toEqual([{ name: '', address: 'ap@customer.example' }]);
    expect(addresses(parsed.cc)).toEqual([{ name: '', address: 'cfo@customer.example' }]);
    expect(to).toEqual(['ap@customer.example', 'cfo@customer.example']);
    expect(parsed.messageId).toBe(`<invoice-${INVOICE_ID}@seller.example>`);
    expect(parsed.text).toContain('Hello Zoë & Partners <Ltd>,');
    expect(parsed.text).toContain('£1,234.50');
    expect(parsed.html).toContain('Hello Zoë &amp; Partners &lt;Ltd&gt;,');

    expect(parsed.attachments).toHaveLength(1);
    const [attachment] = parsed.attachments;
    expect(attachment?.filename).toBe('INV-2026-00042.pdf');
    expect(attachment?.contentType).toBe('application/pdf');
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(sha256(attachment?.content ?? Buffer.alloc(0))).toBe(sha256(pdf));
  });

  it('turns "\\r\\nBcc: …" in a customer name or subject into text, never into a header or a recipient', async () => {
    const { parsed, to } = await sendAndParse(
      buildInvoiceEmail(
        input(
          { templates: { ...templates, subject: 'Invoice for {customer_name}\r\nBcc: evil@example.com' } },
          { customerName: 'Acme\r\nBcc: evil@example.com' },
        ),
      ),
    );

    expect(parsed.subject).toBe('Invoice for Acme Bcc: evil@example.com Bcc: evil@example.com');
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.bcc).toBeUndefined();
    expect(to).toEqual(['ap@customer.example', 'cfo@customer.example']);
    expect(parsed.text).toContain('Hello Acme\r\nBcc: evil@example.com,'.replace('\r\n', '\n'));
  });

  it('carries a display name with quotes, commas and accents through intact', async () => {
    const { parsed } = await sendAndParse(
      buildInvoiceEmail(
        input({
          templates: { ...templates, from: '"Zoë \\"Billing\\", Inc." <billing@seller.example>' },
          recipients: { to: ['"Müller, Hans" <hans@customer.example>'], cc: [] },
        }),
      ),
    );

    expect(addresses(parsed.from)).toEqual([
      { name: 'Zoë "Billing", Inc.', address: 'billing@seller.example' },
    ]);
    expect(addresses(parsed.to)).toEqual([{ name: 'Müller, Hans', address: 'hans@customer.example' }]);
  });
});
