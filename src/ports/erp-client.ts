// The ERP port: what billops needs from Xero or QuickBooks Online, in billing terms. Each adapter
// (src/erp/xero, src/erp/quickbooks) implements it over the vendor SDK and translates vendor errors.
// Amounts cross this boundary as fixed-point strings in the invoice currency, never numbers.

export type ErpProvider = 'xero' | 'quickbooks';

/** A vendor failure, for people and for the retry logic. */
export interface ErpError {
  /** True when trying again later may work (429, 5xx, timeouts, connection resets). */
  retryable: boolean;
  /** Stable and short: 'rate_limited', 'daily_limit', 'validation', 'duplicate_number', 'unauthorized', 'not_found', 'server_error', 'timeout', … */
  code: string;
  /** What a finance person can act on: "Account code 999 does not exist in Xero", never a stack trace. */
  message: string;
  /** From Retry-After, when the vendor said how long to wait. */
  retryAfterSeconds?: number;
  /** For a 429, the limit the vendor named: what to wait for when it gave no Retry-After. */
  rateLimit?: 'concurrent' | 'minute' | 'app_minute';
  /** True when the request may have been applied although no answer came back (timeout, reset, 5xx). */
  uncertain?: boolean;
}

export type ErpResult<T> = { ok: true; value: T } | { ok: false; error: ErpError };

export interface ErpContactInput {
  /** Our customer id: stored in the ERP (Xero ContactNumber, QBO a custom reference) to find the contact again. */
  customerKey: string;
  name: string;
  email: string | undefined;
  taxNumber: string | undefined;
  addressLines: readonly string[];
  currency: string;
}

export interface ErpInvoiceLine {
  description: string;
  quantity: string;
  unitAmount: string;
  /** quantity × unitAmount, rounded: what the ERP must show. */
  lineAmount: string;
  discountAmount: string;
  /** Our tax on this line, as the PDF shows it: the ERP must hold exactly this. */
  taxAmount: string;
  accountCode: string | undefined;
  itemCode: string | undefined;
  taxType: string | undefined;
  /** Xero tracking categories, or QBO class / department. */
  tracking: Readonly<Record<string, string>>;
}

export interface ErpInvoiceInput {
  /** Our invoice number, used as the ERP's invoice number. */
  number: string;
  contactId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  pricesIncludeTax: boolean;
  lines: readonly ErpInvoiceLine[];
  /** Our total, which the ERP's total must equal. */
  total: string;
  /** Our tax, which the ERP's tax must equal. */
  totalTax: string;
}

export interface ErpInvoiceRef {
  id: string;
  number: string;
  /** The ERP's own total, to compare with ours. */
  total: string;
  /** The ERP's own tax, to compare with ours. */
  totalTax: string;
  status: string;
}

/** A payment the ERP holds against one of our invoices, as much of it as applies to that invoice. */
export interface ErpPayment {
  /** The ERP's payment id (Xero PaymentID, QBO Payment Id). */
  id: string;
  /** In the invoice currency, fixed-point ("40.00"). */
  amount: string;
  /** YYYY-MM-DD */
  date: string;
}

/** A credit note against one of our invoices the ERP holds (Xero ACCRECCREDIT, QBO CreditMemo). */
export interface ErpCreditNoteInput {
  /** Our credit note number (CN-…), used as the ERP's number. */
  number: string;
  /** The invoice it credits (our number), as the ERP's reference. */
  invoiceNumber: string;
  contactId: string;
  currency: string;
  issueDate: string;
  pricesIncludeTax: boolean;
  lines: readonly ErpInvoiceLine[];
  /** Our credit total, tax included, which the ERP's total should equal. */
  total: string;
  /** The tax it reverses. */
  totalTax: string;
}

export interface ErpCreditNoteRef {
  id: string;
  number: string;
  total: string;
  /** What of the credit is not allocated to an invoice yet (Xero RemainingCredit, QBO Balance). */
  remainingCredit: string;
}

export interface ErpClient {
  readonly provider: ErpProvider;
  findInvoiceByNumber(number: string): Promise<ErpResult<ErpInvoiceRef | null>>;
  /**
   * The contact of each customer, found by its customerKey or created, in as few calls as the vendor
   * allows (Xero: one find and one create per 50). One answer per customerKey; one refused contact
   * (name taken, archived) fails alone.
   */
  findOrCreateContacts(
    inputs: readonly ErpContactInput[],
  ): Promise<Map<string, ErpResult<{ id: string; created: boolean }>>>;
  /** `idempotencyKey`: Xero's Idempotency-Key / QBO's requestid, derived from the ledger row. */
  createInvoice(input: ErpInvoiceInput, idempotencyKey: string): Promise<ErpResult<ErpInvoiceRef>>;
  /** Up to the vendor's batch size; one result per input, in order (one bad invoice fails alone). */
  createInvoices(
    inputs: readonly { input: ErpInvoiceInput; idempotencyKey: string }[],
  ): Promise<ErpResult<ErpInvoiceRef>[]>;
  attachPdf(
    invoiceId: string,
    filename: string,
    pdf: Buffer,
    idempotencyKey: string,
  ): Promise<ErpResult<{ id: string }>>;
  /** The payments applied to an invoice the ERP holds (its id there, as erp_syncs.external_id). */
  getInvoicePayments(invoiceExternalId: string): Promise<ErpResult<ErpPayment[]>>;
  /**
   * Voids an unpaid invoice the ERP holds (its id there). Voiding one already void succeeds
   * (`alreadyVoid`), so a retry after a lost answer is harmless; one with payments is refused
   * (code 'has_payments').
   */
  voidInvoice(invoiceExternalId: string): Promise<ErpResult<ErpVoidOutcome>>;
  /** Creates an approved credit note with our number; `idempotencyKey` is derived from the ledger row. */
  createCreditNote(input: ErpCreditNoteInput, idempotencyKey: string): Promise<ErpResult<ErpCreditNoteRef>>;
  /** The credit note holding our number, if the ERP has one: the look-up after an uncertain create. */
  findCreditNoteByNumber(number: string): Promise<ErpResult<ErpCreditNoteRef | null>>;
  /**
   * Allocates a credit note to an invoice the ERP holds: as much as both still allow, at most
   * `maxAmount`. Reads both first, so a retry after a lost answer allocates nothing twice. Answers
   * the amount allocated now ('0.00' when nothing was left, or when the ERP applies credits itself).
   */
  allocateCreditNote(
    creditNoteExternalId: string,
    invoiceExternalId: string,
    maxAmount: string,
    idempotencyKey: string,
  ): Promise<ErpResult<{ amount: string }>>;
}

export interface ErpVoidOutcome {
  id: string;
  alreadyVoid: boolean;
}

/** Where an adapter sends requests and how it gets a current access token (refreshed elsewhere). */
export interface ErpSession {
  /** Xero tenant id or QBO realm id. */
  tenantId: string;
  accessToken: () => Promise<string>;
}
