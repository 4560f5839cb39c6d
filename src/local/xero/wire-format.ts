import { randomUUID } from 'node:crypto';

import { Decimal, sum } from '../../money/decimal.ts';
import type {
  StoredAttachment,
  StoredContact,
  StoredCreditNote,
  StoredInvoice,
  StoredLineItem,
  StoredPayment,
} from './org-books.ts';

// Xero Accounting API 2.0 wire shapes as xero-node reads them: PascalCase JSON, amounts as JSON numbers,
// dates as Microsoft JSON dates ("/Date(1706659200000+0000)/").

export type WireRecord = Record<string, unknown>;

/** What an endpoint answers; the HTTP layer adds rate-limit headers. */
export interface XeroAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function msDate(date: Date): string {
  return `/Date(${date.getTime()}+0000)/`;
}

function dayDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** The response envelope Xero wraps every collection in. */
export function envelope(now: Date, payload: WireRecord): WireRecord {
  return {
    Id: randomUUID(),
    Status: 'OK',
    ProviderName: 'billops local Xero',
    DateTimeUTC: msDate(now),
    ...payload,
  };
}

export function ok(now: Date, payload: WireRecord): XeroAnswer {
  return { status: 200, body: envelope(now, payload) };
}

/** HTTP 400 as Xero sends it when validation fails with summarizeErrors on (the default). */
export function validationException(elements: WireRecord[]): XeroAnswer {
  return {
    status: 400,
    body: {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: elements,
    },
  };
}

export function badRequest(type: string, message: string, errorNumber = 10): XeroAnswer {
  return { status: 400, body: { ErrorNumber: errorNumber, Type: type, Message: message } };
}

export function notFound(): XeroAnswer {
  return {
    status: 404,
    body: { Title: 'Not Found', Status: 404, Detail: "The resource you're looking for cannot be found" },
  };
}

export function problem(status: number, title: string, detail: string): XeroAnswer {
  return {
    status,
    body: { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID() },
  };
}

export function validationErrors(messages: readonly string[]): { Message: string }[] {
  return messages.map((message) => ({ Message: message }));
}

/** JSON numbers are the wire format; the amounts were computed exactly as decimals before this. */
function amount(text: string): number {
  return Number(text);
}

function wireLineItem(line: StoredLineItem): WireRecord {
  return {
    LineItemID: line.lineItemId,
    Description: line.description,
    Quantity: amount(line.quantity),
    UnitAmount: amount(line.unitAmount),
    ItemCode: line.itemCode,
    AccountCode: line.accountCode,
    TaxType: line.taxType,
    TaxAmount: amount(line.taxAmount),
    LineAmount: amount(line.lineAmount),
    DiscountRate: line.discountRate === undefined ? undefined : amount(line.discountRate),
    DiscountAmount: line.discountAmount === undefined ? undefined : amount(line.discountAmount),
    Tracking: line.tracking.map((tracking) => ({ Name: tracking.name, Option: tracking.option })),
  };
}

export function wireContactRef(contact: StoredContact | undefined, contactId: string): WireRecord {
  return contact === undefined
    ? { ContactID: contactId }
    : { ContactID: contact.contactId, ContactNumber: contact.contactNumber, Name: contact.name };
}

/** A payment as Xero lists it on the invoice it pays. */
function wirePayment(payment: StoredPayment): WireRecord {
  return {
    PaymentID: payment.paymentId,
    Date: msDate(dayDate(payment.date)),
    Amount: amount(payment.amount),
    Reference: payment.reference,
    CurrencyRate: 1,
    HasAccount: false,
    HasValidationErrors: false,
  };
}

/** What the invoice's payments add up to, what credit notes took off, and what is left to pay. */
export function paidAndDue(invoice: StoredInvoice): { paid: Decimal; credited: Decimal; due: Decimal } {
  const paid = sum(invoice.payments.map((payment) => new Decimal(payment.amount)));
  const credited = sum((invoice.credits ?? []).map((credit) => new Decimal(credit.amount)));
  return { paid, credited, due: new Decimal(invoice.total).minus(paid).minus(credited) };
}

export function wireInvoice(
  invoice: StoredInvoice,
  contact: StoredContact | undefined,
  attachmentCount: number,
): WireRecord {
  const date = dayDate(invoice.date);
  const dueDate = invoice.dueDate === undefined ? undefined : dayDate(invoice.dueDate);
  const { paid, credited, due } = paidAndDue(invoice);
  const lastPayment = invoice.payments.at(-1);
  return {
    Type: invoice.type,
    InvoiceID: invoice.invoiceId,
    InvoiceNumber: invoice.invoiceNumber,
    Reference: invoice.reference ?? '',
    Contact: wireContactRef(contact, invoice.contactId),
    Date: msDate(date),
    DateString: `${invoice.date}T00:00:00`,
    DueDate: dueDate === undefined ? undefined : msDate(dueDate),
    DueDateString: invoice.dueDate === undefined ? undefined : `${invoice.dueDate}T00:00:00`,
    Status: invoice.status,
    LineAmountTypes: invoice.lineAmountTypes,
    LineItems: invoice.lineItems.map(wireLineItem),
    SubTotal: amount(invoice.subTotal),
    TotalTax: amount(invoice.totalTax),
    Total: amount(invoice.total),
    TotalDiscount: amount(invoice.totalDiscount),
    AmountDue: amount(due.toFixed(2)),
    AmountPaid: amount(paid.toFixed(2)),
    AmountCredited: amount(credited.toFixed(2)),
    CreditNotes: (invoice.credits ?? []).map((credit) => ({
      CreditNoteID: credit.creditNoteId,
      AppliedAmount: amount(credit.amount),
    })),
    Payments: invoice.payments.map(wirePayment),
    FullyPaidOnDate:
      lastPayment === undefined || invoice.status !== 'PAID' ? undefined : msDate(dayDate(lastPayment.date)),
    CurrencyCode: invoice.currencyCode,
    CurrencyRate: 1,
    HasAttachments: attachmentCount > 0,
    HasErrors: false,
    UpdatedDateUTC: msDate(invoice.updatedAt),
  };
}

/** A credit note as Xero answers it, with what is left of it to allocate. */
export function wireCreditNote(note: StoredCreditNote, contact: StoredContact | undefined): WireRecord {
  const applied = sum(note.allocations.map((allocation) => new Decimal(allocation.amount)));
  return {
    Type: note.type,
    CreditNoteID: note.creditNoteId,
    CreditNoteNumber: note.creditNoteNumber,
    Reference: note.reference ?? '',
    Contact: wireContactRef(contact, note.contactId),
    Date: msDate(dayDate(note.date)),
    DateString: `${note.date}T00:00:00`,
    Status: note.status,
    LineAmountTypes: note.lineAmountTypes,
    LineItems: note.lineItems.map(wireLineItem),
    SubTotal: amount(note.subTotal),
    TotalTax: amount(note.totalTax),
    Total: amount(note.total),
    RemainingCredit: amount(new Decimal(note.total).minus(applied).toFixed(2)),
    Allocations: note.allocations.map((allocation) => ({
      AllocationID: allocation.allocationId,
      Amount: amount(allocation.amount),
      Date: msDate(dayDate(allocation.date)),
      Invoice: { InvoiceID: allocation.invoiceId },
    })),
    CurrencyCode: note.currencyCode,
    CurrencyRate: 1,
    HasAttachments: false,
    HasErrors: false,
    UpdatedDateUTC: msDate(note.updatedAt),
  };
}

export function wireContact(contact: StoredContact): WireRecord {
  return {
    ContactID: contact.contactId,
    ContactNumber: contact.contactNumber,
    ContactStatus: contact.status,
    Name: contact.name,
    EmailAddress: contact.emailAddress ?? '',
    TaxNumber: contact.taxNumber,
    DefaultCurrency: contact.defaultCurrency,
    Addresses: contact.addresses.map((address) => ({
      AddressType: address.addressType,
      AddressLine1: address.lines[0],
      AddressLine2: address.lines[1],
      AddressLine3: address.lines[2],
      AddressLine4: address.lines[3],
      City: address.city,
      PostalCode: address.postalCode,
      Country: address.country,
    })),
    IsCustomer: true,
    IsSupplier: false,
    HasValidationErrors: false,
    UpdatedDateUTC: msDate(contact.updatedAt),
  };
}

export function wireAttachment(attachment: StoredAttachment, baseUrl: string): WireRecord {
  return {
    AttachmentID: attachment.attachmentId,
    FileName: attachment.fileName,
    Url: `${baseUrl}/api.xro/2.0/Invoices/${attachment.invoiceId}/Attachments/${encodeURIComponent(attachment.fileName)}`,
    MimeType: attachment.mimeType,
    ContentLength: attachment.bytes.length,
    IncludeOnline: attachment.includeOnline,
  };
}
