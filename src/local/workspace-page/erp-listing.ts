import type { LocalXero } from '../xero/index.ts';
import { PageRequestError } from './page-http.ts';

// The local Xero sandbox as the page lists it: the invoices billops posted, newest first.

export interface ErpAttachmentView {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  url: string;
}

export interface ErpInvoiceView {
  invoiceId: string;
  number: string;
  reference: string | null;
  contact: string;
  status: string;
  currency: string;
  date: string;
  dueDate: string | null;
  subTotal: string;
  totalTax: string;
  total: string;
  lines: number;
  attachments: ErpAttachmentView[];
  updatedAt: string;
}

export function erpInvoices(sandbox: LocalXero): ErpInvoiceView[] {
  const contacts = new Map(sandbox.contacts().map((contact) => [contact.contactId, contact.name]));
  const attachments = sandbox.attachments();
  return sandbox
    .invoices()
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((invoice) => ({
      invoiceId: invoice.invoiceId,
      number: invoice.invoiceNumber,
      reference: invoice.reference ?? null,
      contact: contacts.get(invoice.contactId) ?? invoice.contactId,
      status: invoice.status,
      currency: invoice.currencyCode,
      date: invoice.date,
      dueDate: invoice.dueDate ?? null,
      subTotal: invoice.subTotal,
      totalTax: invoice.totalTax,
      total: invoice.total,
      lines: invoice.lineItems.length,
      attachments: attachments
        .filter((attachment) => attachment.invoiceId === invoice.invoiceId)
        .map((attachment) => ({
          id: attachment.attachmentId,
          fileName: attachment.fileName,
          mimeType: attachment.mimeType,
          size: attachment.bytes.length,
          url: `/local/erp/attachments/${encodeURIComponent(attachment.attachmentId)}`,
        })),
      updatedAt: invoice.updatedAt.toISOString(),
    }));
}

export function erpAttachment(sandbox: LocalXero, attachmentId: string) {
  const attachment = sandbox.attachments().find((candidate) => candidate.attachmentId === attachmentId);
  if (attachment === undefined)
    throw new PageRequestError(404, `No attachment ${attachmentId} in the ERP sandbox`);
  return attachment;
}

/** Changes with every call the sandbox answers, so a new or changed invoice shows: what the live feed polls. */
export function erpFingerprint(sandbox: LocalXero): string {
  return String(sandbox.calls().length);
}
