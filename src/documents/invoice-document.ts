// What an invoice PDF shows: plain data, amounts as fixed-point strings in `currency`.
// Built from the database by the finalize step; rendered by render-invoice-pdf.ts.
import type { LineWorking } from '../pricing/types.ts';

export interface InvoiceDocumentLine {
  description: string;
  /** "1 Oct – 31 Oct 2026" when the line covers part of the period. */
  periodLabel: string | undefined;
  quantity: string;
  unitAmount: string;
  amount: string;
  discountAmount: string;
  /** Percent, e.g. "20"; "0" for exempt / reverse charge. */
  taxRate: string;
  taxAmount: string;
  /**
   * How pricing reached `amount` (invoice_lines.calculation): the PDF shows the price in the customer's
   * terms from it ("1.4% of €73,522.50", "22 packages × £1.50"). Absent for a line pricing did not make.
   */
  working?: LineWorking;
}

export interface TaxBreakdownRow {
  /** "VAT 20%", "Reverse charge", "Exempt". */
  label: string;
  /** What the tax was charged on. */
  net: string;
  tax: string;
}

export interface InvoiceDocument {
  /** An invoice (the default), or a credit note correcting one: its own title, number and totals. */
  kind?: 'invoice' | 'credit_note';
  /** A credit note's invoice and reason: "Credits invoice INV-…". */
  credits?: { invoiceNumber: string; reason: string };
  number: string;
  issueDate: string;
  dueDate: string;
  periodLabel: string;
  currency: string;
  /** Prices include tax: amounts on lines are gross and the totals say "includes tax". */
  pricesIncludeTax: boolean;
  seller: {
    name: string;
    addressLines: readonly string[];
    taxId: string | undefined;
    email: string | undefined;
    phone: string | undefined;
  };
  branding: { logoPath: string | undefined; color: string; footer: string | undefined };
  customer: { name: string; addressLines: readonly string[]; taxId: string | undefined };
  lines: readonly InvoiceDocumentLine[];
  taxBreakdown: readonly TaxBreakdownRow[];
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  /** Reverse-charge and exemption notes, each once. */
  notes: readonly string[];
  payment: { bankLines: readonly string[]; payLink: string | undefined };
  /** The moment it was finalized: the PDF's CreationDate, so the same invoice gives the same bytes. */
  finalizedAt: Date;
}
