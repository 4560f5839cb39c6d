import type { OrganisationChart } from './org-chart.ts';

// One Xero organisation's records as the local server keeps them. Amounts are fixed-point strings;
// the wire format (PascalCase JSON numbers, MS dates) is produced only when answering.

export interface StoredAddress {
  addressType: string;
  lines: string[];
  city: string | undefined;
  postalCode: string | undefined;
  country: string | undefined;
}

export interface StoredContact {
  contactId: string;
  name: string;
  contactNumber: string | undefined;
  emailAddress: string | undefined;
  taxNumber: string | undefined;
  defaultCurrency: string | undefined;
  addresses: StoredAddress[];
  status: 'ACTIVE' | 'ARCHIVED';
  updatedAt: Date;
}

export interface StoredTracking {
  name: string;
  option: string;
}

export interface StoredLineItem {
  lineItemId: string;
  description: string | undefined;
  quantity: string;
  unitAmount: string;
  /** After discount, as Xero shows it: net when Exclusive, gross when Inclusive. */
  lineAmount: string;
  discountAmount: string | undefined;
  discountRate: string | undefined;
  taxAmount: string;
  accountCode: string | undefined;
  itemCode: string | undefined;
  taxType: string;
  tracking: StoredTracking[];
}

export type LineAmountType = 'Exclusive' | 'Inclusive' | 'NoTax';

/** A customer's payment applied to an invoice (Xero keeps one Payment per invoice it pays). */
export interface StoredPayment {
  paymentId: string;
  /** YYYY-MM-DD */
  date: string;
  /** In the invoice currency, fixed-point. */
  amount: string;
  reference: string;
  createdAt: Date;
}

export interface StoredInvoice {
  invoiceId: string;
  invoiceNumber: string;
  type: string;
  status: string;
  contactId: string;
  reference: string | undefined;
  currencyCode: string;
  /** YYYY-MM-DD */
  date: string;
  dueDate: string | undefined;
  lineAmountTypes: LineAmountType;
  lineItems: StoredLineItem[];
  subTotal: string;
  totalTax: string;
  total: string;
  totalDiscount: string;
  /** Oldest first; an invoice they pay in full becomes PAID. */
  payments: StoredPayment[];
  /** Credit notes allocated to it, oldest first; they reduce AmountDue as payments do. */
  credits?: StoredCreditAllocation[];
  createdAt: Date;
  updatedAt: Date;
}

/** Part of a credit note applied to an invoice (PUT CreditNotes/{id}/Allocations). */
export interface StoredCreditAllocation {
  allocationId: string;
  creditNoteId: string;
  invoiceId: string;
  amount: string;
  /** YYYY-MM-DD */
  date: string;
}

/** A credit note (ACCRECCREDIT / ACCPAYCREDIT): an invoice's shape with its own number series. */
export interface StoredCreditNote {
  creditNoteId: string;
  creditNoteNumber: string;
  type: string;
  status: string;
  contactId: string;
  reference: string | undefined;
  currencyCode: string;
  date: string;
  lineAmountTypes: LineAmountType;
  lineItems: StoredLineItem[];
  subTotal: string;
  totalTax: string;
  total: string;
  allocations: StoredCreditAllocation[];
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredAttachment {
  attachmentId: string;
  invoiceId: string;
  fileName: string;
  mimeType: string;
  includeOnline: boolean;
  bytes: Buffer;
  createdAt: Date;
}

/** The records of one tenant. */
export class OrganisationBooks {
  readonly tenantId: string;
  readonly chart: OrganisationChart;
  readonly contacts = new Map<string, StoredContact>();
  readonly invoices = new Map<string, StoredInvoice>();
  readonly attachments: StoredAttachment[] = [];
  readonly creditNotes = new Map<string, StoredCreditNote>();
  private nextInvoiceNumber = 1;
  private nextCreditNoteNumber = 1;

  constructor(tenantId: string, chart: OrganisationChart) {
    this.tenantId = tenantId;
    this.chart = chart;
  }

  contactByName(name: string): StoredContact | undefined {
    const wanted = name.trim().toLowerCase();
    return [...this.contacts.values()].find(
      (contact) => contact.status === 'ACTIVE' && contact.name.trim().toLowerCase() === wanted,
    );
  }

  contactByNumber(contactNumber: string): StoredContact | undefined {
    return [...this.contacts.values()].find((contact) => contact.contactNumber === contactNumber);
  }

  /** Invoices of a type holding a number; deleted ones free their number as in Xero. */
  invoicesNumbered(invoiceNumber: string, type: string): StoredInvoice[] {
    const wanted = invoiceNumber.toLowerCase();
    return [...this.invoices.values()].filter(
      (invoice) =>
        invoice.type === type &&
        invoice.status !== 'DELETED' &&
        invoice.invoiceNumber.toLowerCase() === wanted,
    );
  }

  /** Xero numbers invoices that arrive without one: INV-0001, INV-0002… */
  allocateInvoiceNumber(type: string): string {
    for (;;) {
      const candidate = `INV-${String(this.nextInvoiceNumber).padStart(4, '0')}`;
      this.nextInvoiceNumber += 1;
      if (this.invoicesNumbered(candidate, type).length === 0) return candidate;
    }
  }

  /** Credit notes of a type holding a number; deleted ones free their number. */
  creditNotesNumbered(number: string, type: string): StoredCreditNote[] {
    const wanted = number.toLowerCase();
    return [...this.creditNotes.values()].filter(
      (note) =>
        note.type === type && note.status !== 'DELETED' && note.creditNoteNumber.toLowerCase() === wanted,
    );
  }

  /** Xero numbers credit notes that arrive without one: CN-0001, CN-0002… */
  allocateCreditNoteNumber(type: string): string {
    for (;;) {
      const candidate = `CN-${String(this.nextCreditNoteNumber).padStart(4, '0')}`;
      this.nextCreditNoteNumber += 1;
      if (this.creditNotesNumbered(candidate, type).length === 0) return candidate;
    }
  }

  attachmentsOf(invoiceId: string): StoredAttachment[] {
    return this.attachments.filter((attachment) => attachment.invoiceId === invoiceId);
  }
}
