import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import type { InvoiceDocument } from './invoice-document.ts';
import { Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import { loadInvoiceDocument } from './load-invoice-document.ts';

export interface CreditNoteDocument {
  creditNoteId: string;
  invoiceId: string;
  invoiceNumber: string;
  document: InvoiceDocument;
}

/**
 * A credit note as its PDF shows it: the invoice's seller, customer and branding, its own title,
 * number and date, "Credits invoice INV-…", and the credit as its lines, amounts positive. A credit of
 * the whole invoice repeats the invoice's lines; a partial one is one line "Credit against INV-…:
 * <reason>" with its net and tax. Nothing to pay, so no payment details.
 */
export async function loadCreditNoteDocument(
  db: Db,
  billing: BillingConfig,
  creditNoteId: string,
): Promise<CreditNoteDocument | undefined> {
  const note = await db
    .selectFrom('credit_notes')
    .selectAll()
    .where('id', '=', creditNoteId)
    .executeTakeFirst();
  if (note === undefined) return undefined;
  const invoice = await loadInvoiceDocument(db, billing, note.invoice_id);
  if (invoice === undefined) return undefined;
  const { currency } = invoice;
  const money = (value: Decimal) => toMoneyString(value, currency);
  const amount = new Decimal(note.amount);
  const tax = new Decimal(note.tax_amount);
  const net = amount.minus(tax);
  const base = {
    ...invoice,
    kind: 'credit_note' as const,
    credits: { invoiceNumber: invoice.number, reason: note.reason },
    number: note.number,
    issueDate: note.issue_date,
    dueDate: '',
    notes: [`Reason: ${note.reason}`],
    payment: { bankLines: [], payLink: undefined },
    finalizedAt: note.issued_at,
  };
  const wholeInvoice = amount.equals(invoice.total) && tax.equals(invoice.tax);
  if (wholeInvoice) {
    return { creditNoteId, invoiceId: note.invoice_id, invoiceNumber: invoice.number, document: base };
  }
  const shown = invoice.pricesIncludeTax ? amount : net;
  const rates = [...new Set(invoice.lines.map((line) => new Decimal(line.taxRate).toFixed()))];
  const [onlyRate] = rates;
  const [onlyBreakdown] = invoice.taxBreakdown;
  return {
    creditNoteId,
    invoiceId: note.invoice_id,
    invoiceNumber: invoice.number,
    document: {
      ...base,
      lines: [
        {
          description: `Credit against ${invoice.number}: ${note.reason}`,
          periodLabel: undefined,
          quantity: '1',
          unitAmount: money(shown),
          amount: money(shown),
          discountAmount: money(new Decimal(0)),
          // NOTE: with several rates on the invoice the credit's tax is pro rata, so its rate is the blend.
          taxRate:
            rates.length === 1 && onlyRate !== undefined
              ? onlyRate
              : net.isZero()
                ? '0'
                : tax.dividedBy(net).times(100).toDecimalPlaces(2).toFixed(),
          taxAmount: money(tax),
        },
      ],
      taxBreakdown: [
        {
          label:
            invoice.taxBreakdown.length === 1 && onlyBreakdown !== undefined ? onlyBreakdown.label : 'Tax',
          net: money(net),
          tax: money(tax),
        },
      ],
      subtotal: money(shown),
      discount: money(new Decimal(0)),
      tax: money(tax),
      total: money(amount),
    },
  };
}
