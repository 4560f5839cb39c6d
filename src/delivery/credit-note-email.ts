import { parseDecimal } from '../money/decimal.ts';
import { formatMoney } from '../money/format-money.ts';
import { buildInvoiceEmail, invoiceMessageId, type InvoiceEmailInput } from './invoice-email.ts';
import type { OutgoingMail } from '../ports/mailer.ts';
import { pdfFileName } from '../documents/pdf-file-name.ts';

// The credit note email: billing.yml's `email.credit_note` templates (plain defaults when absent), from
// the invoice email's sender, with the credit note's PDF attached.

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
    templates: { ...input.templates, ...input.templates.creditNote },
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
        filename: pdfFileName(creditNote.number),
        content: input.pdf,
        contentType: 'application/pdf',
      },
    ],
  };
}
