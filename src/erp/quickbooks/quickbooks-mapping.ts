import { z } from 'zod';

import { Decimal, parseDecimal } from '../../money/decimal.ts';
import { roundMoney } from '../../money/rounding.ts';
import { toMoneyString } from '../../money/rounding.ts';
import type {
  ErpContactInput,
  ErpCreditNoteInput,
  ErpCreditNoteRef,
  ErpError,
  ErpInvoiceInput,
  ErpInvoiceRef,
  ErpResult,
} from '../../ports/erp-client.ts';

// billops' invoices and customers in QBO v3 terms, and QBO's answers back in billops' terms.

// NOTE: QBO limits DocNumber to 21 characters (FACTS §2.4) and DisplayName to 500.
export const docNumberMaxLength = 21;
const displayNameMaxLength = 100;

export type QuickBooksLine = Record<string, unknown>;
export type QuickBooksInvoicePayload = Record<string, unknown>;

function invalid(message: string): { ok: false; error: ErpError } {
  return { ok: false, error: { retryable: false, code: 'validation', message } };
}

/**
 * An exact decimal string as the JSON number node-quickbooks will send. JSON has no decimal type and
 * the SDK JSON.stringify's the entity, so the amount must become a JS number at the last moment. A
 * decimal with at most 15 significant digits maps to the one double whose shortest form (what
 * JSON.stringify prints) is that same decimal, so the wire text equals our string (less trailing
 * zeros). The round trip is checked, and an amount that would drift is refused, never rounded.
 * No arithmetic is done on the number.
 */
export function toWireAmount(
  text: string,
  what: string,
): { ok: true; value: number } | { ok: false; error: ErpError } {
  const decimal = parseDecimal(text);
  if (decimal === undefined) return invalid(`${what} "${text}" is not a number.`);
  const value = decimal.toNumber();
  if (!Number.isFinite(value) || !new Decimal(String(value)).equals(decimal)) {
    return invalid(
      `${what} ${text} has more digits than QuickBooks can take exactly (15 significant digits).`,
    );
  }
  return { ok: true, value: Object.is(value, -0) ? 0 : value };
}

interface Tracking {
  classId: string | undefined;
  departmentId: string | undefined;
}

// NOTE: QBO's only tracking dimensions on sales are Class (per line) and Location, which the API calls
// Department (per transaction). Values are QBO ids: ClassRef/DepartmentRef take ids, not names.
function readTracking(
  tracking: Readonly<Record<string, string>>,
  description: string,
): { ok: true; value: Tracking } | { ok: false; error: ErpError } {
  const value: Tracking = { classId: undefined, departmentId: undefined };
  for (const [name, option] of Object.entries(tracking)) {
    const key = name.trim().toLowerCase();
    if (key === 'class') value.classId = option;
    else if (key === 'department' || key === 'location') value.departmentId = option;
    else {
      return invalid(
        `Line "${description}" is tracked by "${name}", which QuickBooks does not have: use "class" or "location" (department) in billing.yml.`,
      );
    }
  }
  return { ok: true, value };
}

export interface InvoiceMappingOptions {
  /** The QBO Item id for lines with no item code (QBO's income account comes from the item). */
  defaultItemId: string | undefined;
  /** A US company on automated sales tax: it is sent our tax as TxnTaxDetail.TotalTax. */
  automatedSalesTax: boolean;
}

// NOTE: QuickBooks keeps Qty and UnitPrice to 7 decimal places and checks Amount = Qty × UnitPrice
// (error 6070, "Amount is not equal to UnitPrice * Qty"); finer figures are cut and the line no longer
// adds up (issue 19; Intuit API reference, Invoice: SalesItemLineDetail). The test QuickBooks does the same.
export const QUICKBOOKS_UNIT_DECIMALS = 7;

/**
 * Whether the line can go as its own quantity × unit price: both within QuickBooks' 7 decimals and
 * their product, to the cent, our amount. Otherwise it goes as 1 × the amount, with the exact working
 * in the description (as for Xero), so QuickBooks' totals are ours to the cent.
 */
function sendsExactly(
  line: ErpInvoiceInput['lines'][number],
  currency: string,
): { ok: true; value: boolean } | { ok: false; message: string } {
  const quantity = parseDecimal(line.quantity);
  const unitPrice = parseDecimal(line.unitAmount);
  const amount = parseDecimal(line.lineAmount);
  if (quantity === undefined || unitPrice === undefined || amount === undefined)
    return { ok: false, message: 'a quantity, unit price or amount is not a decimal number.' };
  return {
    ok: true,
    value:
      quantity.decimalPlaces() <= QUICKBOOKS_UNIT_DECIMALS &&
      unitPrice.decimalPlaces() <= QUICKBOOKS_UNIT_DECIMALS &&
      roundMoney(quantity.times(unitPrice), currency).equals(amount),
  };
}

/**
 * Our invoice as a QBO Invoice. DocNumber is our number, so a second create is refused with 6140 and
 * the invoice can be found by number. Each line becomes a SalesItemLineDetail line (item, class, tax
 * code, Qty, UnitPrice, Amount); a line discount becomes a negative line with the same item, class and
 * tax code right after it, because QBO has no per-line discount and its single invoice-level discount
 * line would spread the discount over other lines' classes and tax codes. The GL account code is not
 * sent: in QBO the income account belongs to the item.
 */
export function toQuickBooksInvoice(
  input: ErpInvoiceInput,
  options: InvoiceMappingOptions,
): { ok: true; value: QuickBooksInvoicePayload } | { ok: false; error: ErpError } {
  if (input.number.length === 0 || input.number.length > docNumberMaxLength) {
    return invalid(
      `Invoice number ${input.number} cannot be used in QuickBooks, which allows 1 to ${docNumberMaxLength} characters.`,
    );
  }
  if (input.lines.length === 0)
    return invalid(`Invoice ${input.number} has no lines; QuickBooks needs at least one.`);

  const lines: QuickBooksLine[] = [];
  const departments = new Set<string>();
  for (const [index, line] of input.lines.entries()) {
    const label = `Line ${index + 1} of invoice ${input.number}`;
    const tracking = readTracking(line.tracking, line.description);
    if (!tracking.ok) return tracking;
    if (tracking.value.departmentId !== undefined) departments.add(tracking.value.departmentId);
    const exact = sendsExactly(line, input.currency);
    if (!exact.ok) return invalid(`${label}: ${exact.message}`);
    const quantity = toWireAmount(exact.value ? line.quantity : '1', `${label}: quantity`);
    if (!quantity.ok) return quantity;
    const unitPrice = toWireAmount(exact.value ? line.unitAmount : line.lineAmount, `${label}: unit price`);
    if (!unitPrice.ok) return unitPrice;
    const amount = toWireAmount(line.lineAmount, `${label}: amount`);
    if (!amount.ok) return amount;

    const refs: Record<string, unknown> = {};
    const itemId = line.itemCode ?? options.defaultItemId;
    if (itemId !== undefined) refs.ItemRef = { value: itemId };
    if (tracking.value.classId !== undefined) refs.ClassRef = { value: tracking.value.classId };
    if (line.taxType !== undefined) refs.TaxCodeRef = { value: line.taxType };

    lines.push({
      DetailType: 'SalesItemLineDetail',
      Description: exact.value
        ? line.description
        : `${line.description} (${line.quantity} × ${line.unitAmount})`,
      Amount: amount.value,
      SalesItemLineDetail: { ...refs, Qty: quantity.value, UnitPrice: unitPrice.value },
    });

    const discount = parseDecimal(line.discountAmount);
    if (discount === undefined)
      return invalid(`${label}: discount "${line.discountAmount}" is not a number.`);
    if (!discount.isZero()) {
      const negative = toWireAmount(discount.negated().toFixed(), `${label}: discount`);
      if (!negative.ok) return negative;
      lines.push({
        DetailType: 'SalesItemLineDetail',
        Description: `Discount: ${line.description}`,
        Amount: negative.value,
        SalesItemLineDetail: { ...refs, Qty: 1, UnitPrice: negative.value },
      });
    }
  }
  if (departments.size > 1) {
    return invalid(
      `Invoice ${input.number} has lines for several locations (${[...departments].join(', ')}); a QuickBooks invoice has one location.`,
    );
  }

  const payload: QuickBooksInvoicePayload = {
    DocNumber: input.number,
    CustomerRef: { value: input.contactId },
    CurrencyRef: { value: input.currency },
    TxnDate: input.issueDate,
    DueDate: input.dueDate,
    Line: lines,
  };
  if (options.automatedSalesTax) {
    // NOTE: developer.intuit.com/hub/blog/2017/12/11/using-quickbooks-online-api-automated-sales-tax:
    // AST assigns its own tax code and works out the tax, but "whenever an explicit tax amount is sent
    // ... the AST engine honors the amount": ours is sent, so QuickBooks holds the tax on the PDF.
    // GlobalTaxCalculation is for non-US companies only, and US sales tax is added on top of prices.
    if (input.pricesIncludeTax) {
      return invalid(
        `Invoice ${input.number} has prices that include tax, but this QuickBooks company is a US company on automated sales tax, which adds tax on top: post it by hand, or bill this customer with prices before tax.`,
      );
    }
    const tax = toWireAmount(input.totalTax, `Invoice ${input.number}: tax`);
    if (!tax.ok) return tax;
    payload.TxnTaxDetail = { TotalTax: tax.value };
  } else {
    payload.GlobalTaxCalculation = input.pricesIncludeTax ? 'TaxInclusive' : 'TaxExcluded';
  }
  const [department] = departments;
  if (department !== undefined) payload.DepartmentRef = { value: department };
  return { ok: true, value: payload };
}

/** The CreditMemo for a credit note: an invoice's lines and references, without a due date. */
export function toQuickBooksCreditMemo(
  input: ErpCreditNoteInput,
  options: InvoiceMappingOptions,
): { ok: true; value: QuickBooksInvoicePayload } | { ok: false; error: ErpError } {
  const mapped = toQuickBooksInvoice({ ...input, dueDate: input.issueDate }, options);
  if (!mapped.ok) {
    return {
      ok: false,
      error: { ...mapped.error, message: mapped.error.message.replace(/invoice/gi, 'credit note') },
    };
  }
  const { DueDate: _dueDate, ...memo } = mapped.value;
  return { ok: true, value: { ...memo, PrivateNote: `Credits invoice ${input.invoiceNumber}` } };
}

const wireNumber = z.union([z.number(), z.string()]);

const invoiceSchema = z.looseObject({
  Id: z.coerce.string(),
  DocNumber: z.string().optional(),
  TotalAmt: wireNumber.optional(),
  TxnTaxDetail: z.looseObject({ TotalTax: wireNumber.optional() }).optional(),
  Balance: wireNumber.optional(),
  CurrencyRef: z.looseObject({ value: z.string() }).optional(),
});

function moneyFrom(value: number | string | undefined, currency: string): string {
  const decimal = value === undefined ? new Decimal(0) : (parseDecimal(String(value)) ?? new Decimal(0));
  return toMoneyString(decimal, currency);
}

const creditMemoSchema = z.looseObject({
  Id: z.coerce.string(),
  DocNumber: z.string().optional(),
  TotalAmt: wireNumber.optional(),
  Balance: wireNumber.optional(),
  RemainingCredit: wireNumber.optional(),
  CurrencyRef: z.looseObject({ value: z.string() }).optional(),
});

/** An answer we could not read: it may describe a write that happened, so it counts as uncertain. */
function unreadable(what: string): { ok: false; error: ErpError } {
  return {
    ok: false,
    error: {
      retryable: false,
      code: 'unexpected_response',
      message: `QuickBooks answered with ${what} billops could not read.`,
      uncertain: true,
    },
  };
}

/** A QBO CreditMemo as our reference: id, number, total and the credit not applied yet. */
export function toErpCreditNoteRef(entity: unknown, fallbackCurrency: string): ErpResult<ErpCreditNoteRef> {
  const parsed = creditMemoSchema.safeParse(entity);
  if (!parsed.success) {
    return unreadable('a credit memo');
  }
  const memo = parsed.data;
  const currency = memo.CurrencyRef?.value ?? fallbackCurrency;
  return {
    ok: true,
    value: {
      id: memo.Id,
      number: memo.DocNumber ?? '',
      total: moneyFrom(memo.TotalAmt, currency),
      remainingCredit: moneyFrom(memo.RemainingCredit ?? memo.Balance ?? memo.TotalAmt, currency),
    },
  };
}

/** QBO has no invoice status field: open, partially paid or paid follow from Balance and TotalAmt. */
function statusOf(total: Decimal, balance: Decimal): string {
  if (balance.isZero() && !total.isZero()) return 'paid';
  if (balance.lessThan(total)) return 'partially_paid';
  return 'open';
}

/** A QBO Invoice (as node-quickbooks returns it) as our reference: id, number, total and status. */
export function toErpInvoiceRef(entity: unknown, fallbackCurrency: string): ErpResult<ErpInvoiceRef> {
  const parsed = invoiceSchema.safeParse(entity);
  if (!parsed.success) {
    return unreadable('an invoice');
  }
  const invoice = parsed.data;
  const currency = invoice.CurrencyRef?.value ?? fallbackCurrency;
  const total = moneyFrom(invoice.TotalAmt, currency);
  const balance = moneyFrom(invoice.Balance ?? invoice.TotalAmt, currency);
  return {
    ok: true,
    value: {
      id: invoice.Id,
      number: invoice.DocNumber ?? '',
      total,
      totalTax: moneyFrom(invoice.TxnTaxDetail?.TotalTax, currency),
      status: statusOf(new Decimal(total), new Decimal(balance)),
    },
  };
}

// ---- customers ----

/**
 * The customer lookup. QBO v3 has no queryable external-id field on Customer: AcctNum, Notes and custom
 * fields cannot be used in a where clause (4001 "property 'AcctNum' is not queryable",
 * intuit/QuickBooks-V3-DotNET-SDK#163). DisplayName is the one field QBO both lets us query exactly
 * (=, IN) and keeps unique (across customers, vendors and employees), so the lookup is an exact
 * DisplayName IN (name, "name (key)") query, and ownership is proved by a marker line in Notes that
 * carries our customerKey. The durable link is the Customer Id that billops stores
 * (customers.quickbooks_customer_id) after the first sync; this lookup only runs when that is missing.
 */
export function customerMarker(customerKey: string): string {
  return `billops customer key: ${customerKey}`;
}

function cleanName(name: string): string {
  // NOTE: ':' separates parent and sub-customer in QBO names, and tabs or newlines are refused.
  return name
    .replace(/[:\t\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function customerDisplayNames(input: ErpContactInput): { plain: string; keyed: string } {
  const suffix = ` (${cleanName(input.customerKey)})`;
  const base = cleanName(input.name) || cleanName(input.customerKey);
  return {
    plain: base.slice(0, displayNameMaxLength),
    keyed: `${base.slice(0, Math.max(1, displayNameMaxLength - suffix.length))}${suffix}`,
  };
}

const customerSchema = z.looseObject({
  Id: z.coerce.string(),
  DisplayName: z.string().optional(),
  Notes: z.string().optional(),
});
export type FoundCustomer = z.infer<typeof customerSchema>;

export function readCustomers(queryResponse: unknown): FoundCustomer[] {
  const parsed = z
    .looseObject({
      QueryResponse: z.looseObject({ Customer: z.array(customerSchema).optional() }).optional(),
    })
    .safeParse(queryResponse);
  return parsed.success ? (parsed.data.QueryResponse?.Customer ?? []) : [];
}

export function readCustomer(entity: unknown): FoundCustomer | undefined {
  const parsed = customerSchema.safeParse(entity);
  return parsed.success ? parsed.data : undefined;
}

const markerPattern = /^billops customer key: (.+)$/m;

/**
 * Which existing customer is ours, or which name to create one under:
 * 1. one whose Notes carry our key; 2. one named "name (key)"; 3. one named plainly that billops did not
 * create (finance already had this customer: use it rather than make a twin); else create under the
 * plain name, or under "name (key)" when another billops customer already has the plain name.
 */
export function chooseCustomer(
  candidates: readonly FoundCustomer[],
  input: ErpContactInput,
): { existingId: string } | { createAs: string } {
  const names = customerDisplayNames(input);
  const same = (a: string | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase();
  const marked = candidates.find(
    (customer) => markerPattern.exec(customer.Notes ?? '')?.[1]?.trim() === input.customerKey,
  );
  if (marked !== undefined) return { existingId: marked.Id };
  const keyed = candidates.find((customer) => same(customer.DisplayName, names.keyed));
  if (keyed !== undefined) return { existingId: keyed.Id };
  const plain = candidates.find((customer) => same(customer.DisplayName, names.plain));
  if (plain !== undefined && !markerPattern.test(plain.Notes ?? '')) return { existingId: plain.Id };
  return { createAs: plain === undefined ? names.plain : names.keyed };
}

export function toQuickBooksCustomer(input: ErpContactInput, displayName: string): Record<string, unknown> {
  const notes = [customerMarker(input.customerKey)];
  if (input.taxNumber !== undefined) notes.push(`Tax number: ${input.taxNumber}`);
  const customer: Record<string, unknown> = {
    DisplayName: displayName,
    CompanyName: cleanName(input.name).slice(0, displayNameMaxLength),
    CurrencyRef: { value: input.currency },
    Notes: notes.join('\n'),
  };
  if (input.email !== undefined) customer.PrimaryEmailAddr = { Address: input.email };
  if (input.addressLines.length > 0) {
    const address: Record<string, string> = {};
    input.addressLines.slice(0, 5).forEach((line, index) => {
      address[`Line${index + 1}`] = line;
    });
    customer.BillAddr = address;
  }
  return customer;
}
