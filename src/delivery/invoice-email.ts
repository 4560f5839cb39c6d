import type { EmailTemplates, Seller } from '../billing-config/billing-config.ts';
import { parseDecimal } from '../money/decimal.ts';
import { formatMoney } from '../money/format-money.ts';
import {
  formatMailbox,
  headerText,
  InvalidEmailError,
  isEmailAddress,
  parseMailbox,
} from './mail-address.ts';
import type { OutgoingMail } from '../ports/mailer.ts';
import { pdfFileName } from '../documents/pdf-file-name.ts';

export interface InvoiceEmailInput {
  templates: EmailTemplates;
  seller: Seller;
  invoice: {
    id: string;
    number: string;
    customerName: string;
    /** Decimal string, e.g. '1234.50'. */
    total: string;
    currency: string;
    dueDate: string;
    issueDate: string;
    periodLabel: string;
    payLink: string | undefined;
  };
  recipients: { to: string[]; cc: string[] };
  pdf: Buffer;
  /** The right-hand side of the Message-ID, e.g. the sender's domain. */
  messageIdDomain: string;
  /** More placeholders for these templates (a reminder's {outstanding}); the invoice's own win. */
  extraValues?: Readonly<Record<string, string>>;
}

/**
 * The Message-ID of an invoice's email: the same on every attempt, so a receiving server or a person
 * can tell a second copy for what it is. The delivery row stores it when it is created.
 */
export function invoiceMessageId(invoiceId: string, messageIdDomain: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(invoiceId))
    throw new InvalidEmailError(`Invoice id ${invoiceId} cannot go into a Message-ID`);
  if (!isEmailAddress(`invoice@${messageIdDomain}`)) {
    throw new InvalidEmailError(`"${headerText(messageIdDomain)}" is not a domain for a Message-ID`);
  }
  return `<invoice-${invoiceId}@${messageIdDomain}>`;
}

/**
 * The email that carries a finalized invoice: the configured templates filled in, the PDF attached.
 * Throws InvalidEmailError when an address is not one a mail server should be given.
 */
export function buildInvoiceEmail(input: InvoiceEmailInput): OutgoingMail {
  const { templates, invoice } = input;
  const total = parseDecimal(invoice.total);
  if (total === undefined)
    throw new Error(`Invoice ${invoice.number} has a total that is not a number: ${invoice.total}`);
  const values: Record<string, string> = {
    ...input.extraValues,
    customer_name: invoice.customerName,
    invoice_number: invoice.number,
    total: formatMoney(total, invoice.currency),
    due_date: invoice.dueDate,
    issue_date: invoice.issueDate,
    period: invoice.periodLabel,
    seller_name: input.seller.name,
    pay_link: invoice.payLink ?? '',
  };

  const to = uniqueMailboxes(input.recipients.to, 'To', []);
  if (to.length === 0)
    throw new InvalidEmailError(`Invoice ${invoice.number} has no recipient to send it to`);
  const cc = uniqueMailboxes(input.recipients.cc, 'Cc', to);
  const text = fillPlaceholders(templates.text, values, (value) => value);
  const html =
    templates.html === undefined
      ? textToHtml(text, invoice.payLink)
      : fillPlaceholders(templates.html, values, escapeHtml);

  return {
    from: formatMailbox(parseMailbox(templates.from, 'email.from')),
    ...(templates.replyTo === undefined
      ? {}
      : { replyTo: formatMailbox(parseMailbox(templates.replyTo, 'email.reply_to')) }),
    to,
    cc,
    subject: headerText(fillPlaceholders(templates.subject, values, (value) => value)),
    text,
    html,
    messageId: invoiceMessageId(invoice.id, input.messageIdDomain),
    attachments: [
      {
        filename: pdfFileName(invoice.number),
        content: input.pdf,
        contentType: 'application/pdf',
      },
    ],
  };
}

/** `{name}` → its value; a placeholder we do not know stays as written, so a typo shows in the email. */
function fillPlaceholders(
  template: string,
  values: Record<string, string>,
  encode: (value: string) => string,
): string {
  return template.replace(/\{([a-z_]+)\}/g, (placeholder, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return value === undefined ? placeholder : encode(value);
  });
}

/** Checked, one per address (case-insensitive), leaving out any already in `already`. */
function uniqueMailboxes(values: readonly string[], field: string, already: readonly string[]): string[] {
  const seen = new Set(already.map((value) => parseMailbox(value, field).address.toLowerCase()));
  const result: string[] = [];
  for (const value of values) {
    const mailbox = parseMailbox(value, field);
    const key = mailbox.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(formatMailbox(mailbox));
  }
  return result;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Paragraphs at blank lines, <br> at single line breaks, everything escaped; the pay link clickable. */
function textToHtml(text: string, payLink: string | undefined): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => {
      let html = escapeHtml(paragraph).replaceAll('\n', '<br>\n');
      if (payLink !== undefined && payLink !== '') {
        const link = escapeHtml(payLink);
        html = html.replaceAll(link, `<a href="${link}">${link}</a>`);
      }
      return `<p>${html}</p>`;
    });
  return `<!doctype html>\n<html>\n<body>\n${paragraphs.join('\n')}\n</body>\n</html>\n`;
}

/** Message-IDs are `<invoice-…@domain>`: the seller's mail domain, so replies and duplicates are traceable. */
export function messageIdDomain(sellerEmail: string | undefined): string {
  return sellerEmail?.split('@')[1] ?? 'billops.invalid';
}
