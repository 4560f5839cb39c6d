import type { InvoiceDocument } from './invoice-document.ts';

/** What an email says about its invoice, from the finalized document. */
export function emailedInvoice(invoiceId: string, document: InvoiceDocument) {
  return {
    id: invoiceId,
    number: document.number,
    customerName: document.customer.name,
    total: document.total,
    currency: document.currency,
    dueDate: document.dueDate,
    issueDate: document.issueDate,
    periodLabel: document.periodLabel,
    payLink: document.payment.payLink,
  };
}
