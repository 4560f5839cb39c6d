import { parseDecimal } from '../money/decimal.ts';
import { formatMoney } from '../money/format-money.ts';
import { buildInvoiceEmail, invoiceMessageId, type InvoiceEmailInput } from './invoice-email.ts';
import { headerText } from './mail-address.ts';
import type { OutgoingMail } from './mailer.ts';

// billing.yml has no credit note template: the email says what the credit note is, in plain words,
// from the invoice email's sender, with the credit note's PDF attached.
const SUBJECT = 'Credit note {credit_note_number} for invoice {invoice_number} from {seller_name}';
const TEXT = `Hello {customer_name},

Please find attached credit note {credit_note_number} for invoice {invoice_number}: {credit_total}.

Reason: {reason}

Kind regards,
{seller_name}
`;

export interface CreditNoteEmailInput extends Omit<InvoiceEmailInput, 'extraValues'> {
  creditNote: { id: string; number: string; total: string; reason: string };
}

/** The Message-ID of a credit note's email: the same on every attempt, never the invoice email's. */
export function creditNoteMessageId(creditNoteId: string, messageIdDomain: string): string {
  return invoiceMessageId(creditNoteId, messageIdDomain).replace(/^<invoice-/, '<credit-note-');
}

/** The email that carries a credit note: "Credit note CN-… for invoice INV-…", its PDF attached. */
export function buildCreditNoteEmail(input: CreditNoteEmailInput): OutgoingMail {
  const { creditNote } = input;
  const total = parseDecimal(creditNote.total);
  if (total === undefined)
    throw new Error(`Credit note ${creditNote.number} has a total that is not a number: ${creditNote.total}`);
  const mail = buildInvoiceEmail({
    ...input,
    templates: { ...input.templates, subject: SUBJECT, text: TEXT, html: undefined },
    extraValues: {
      credit_note_number: creditNote.number,
      credit_total: formatMoney(total, input.invoice.currency),
      reason: creditNote.reason,
    },
  });
  return {
    ...mail,
    messageId: creditNoteMessageId(creditNote.id, input.messageIdDomain),
    attachments: [
      {
        filename: `${headerText(creditNote.number).replace(/[/\\"]/g, '-')}.pdf`,
        content: input.pdf,
        contentType: 'application/pdf',
      },
    ],
  };
}
