import { Decimal } from '../../money/decimal.ts';
import {
  expectedLineAmount,
  invoiceTotals,
  lineTax,
  roundAmount,
  type InvoiceTotals,
  type LineFigures,
} from './invoice-totals.ts';
import type { LineAmountType, OrganisationBooks, StoredLineItem, StoredTracking } from './org-books.ts';
import { dayOf, decimal, isRecord, records, text } from './wire-values.ts';

// Reads one element of a PUT/POST Invoices body and validates it the way Xero does where billops cares:
// contact, account codes, tax types, tracking, amounts. Messages follow Xero's wording where known.

export type InvoiceContact = { kind: 'existing'; contactId: string } | { kind: 'new'; name: string };

export interface InvoiceDraft {
  type: string;
  status: string;
  invoiceNumber: string | undefined;
  reference: string | undefined;
  contact: InvoiceContact;
  currencyCode: string;
  date: string;
  dueDate: string | undefined;
  lineAmountTypes: LineAmountType;
  lineItems: Omit<StoredLineItem, 'lineItemId'>[];
  totals: InvoiceTotals;
  totalDiscount: Decimal;
}

export type ReadInvoice = { ok: true; draft: InvoiceDraft } | { ok: false; errors: string[] };

export interface ReadContext {
  books: OrganisationBooks;
  /** Decimal places kept on unit amounts: 2, or 4 with `unitdp=4`. */
  unitdp: number;
  /** The organisation's today, for invoices without a Date. */
  today: string;
}

const INVOICE_TYPES = new Set(['ACCREC', 'ACCPAY']);
const NEW_STATUSES = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED']);
const LINE_AMOUNT_TYPES = new Set<string>(['Exclusive', 'Inclusive', 'NoTax']);
const MAX_TRACKING_CATEGORIES = 2;

function isLineAmountType(value: string): value is LineAmountType {
  return LINE_AMOUNT_TYPES.has(value);
}

function readContact(element: Record<string, unknown>, books: OrganisationBooks, errors: string[]) {
  const contact = isRecord(element.Contact) ? element.Contact : {};
  const contactId = text(contact.ContactID);
  if (contactId !== undefined) {
    const found = books.contacts.get(contactId);
    if (found === undefined) errors.push(`The contact with ContactID ${contactId} could not be found.`);
    else if (found.status === 'ARCHIVED') errors.push(`The contact '${found.name}' is archived.`);
    return { kind: 'existing', contactId } as const;
  }
  const contactNumber = text(contact.ContactNumber);
  if (contactNumber !== undefined) {
    const found = books.contactByNumber(contactNumber);
    if (found !== undefined) return { kind: 'existing', contactId: found.contactId } as const;
  }
  const name = text(contact.Name);
  if (name !== undefined) {
    const found = books.contactByName(name);
    return found === undefined
      ? ({ kind: 'new', name } as const)
      : ({ kind: 'existing', contactId: found.contactId } as const);
  }
  errors.push('A Contact must be specified for this type of transaction');
  return { kind: 'existing', contactId: '' } as const;
}

function readTracking(line: Record<string, unknown>, books: OrganisationBooks, errors: string[]) {
  const tracking: StoredTracking[] = [];
  for (const entry of records(line.Tracking)) {
    const name = text(entry.Name);
    const option = text(entry.Option);
    if (name === undefined || option === undefined) {
      errors.push('Tracking on a line item needs both a Name and an Option.');
      continue;
    }
    const options = books.chart.trackingCategories[name];
    if (options === undefined) errors.push(`Tracking category '${name}' does not exist.`);
    else if (!options.includes(option)) {
      errors.push(`Tracking option '${option}' does not exist in tracking category '${name}'.`);
    }
    tracking.push({ name, option });
  }
  if (tracking.length > MAX_TRACKING_CATEGORIES) {
    errors.push('A line item can use at most 2 tracking categories.');
  }
  return tracking;
}

function readDiscount(line: Record<string, unknown>, errors: string[]): LineFigures['discount'] {
  const amount = decimal(line.DiscountAmount);
  const rate = decimal(line.DiscountRate);
  if (amount === 'invalid' || rate === 'invalid') {
    errors.push('Discount must be a number.');
    return undefined;
  }
  if (amount !== undefined && rate !== undefined && !amount.isZero() && !rate.isZero()) {
    errors.push('A line item can have a DiscountRate or a DiscountAmount, not both.');
    return undefined;
  }
  if (amount !== undefined && !amount.isZero()) return { kind: 'amount', amount: roundAmount(amount) };
  if (rate !== undefined && !rate.isZero()) return { kind: 'rate', percent: rate };
  return undefined;
}

interface LineContext extends ReadContext {
  status: string;
  lineAmountTypes: LineAmountType;
}

function readLine(
  line: Record<string, unknown>,
  context: LineContext,
  errors: string[],
): Omit<StoredLineItem, 'lineItemId'> & { lineAmountDecimal: Decimal; taxDecimal: Decimal } {
  const { chart } = context.books;
  const description = text(line.Description);
  const itemCode = text(line.ItemCode);
  const accountCode = text(line.AccountCode);
  if (description === undefined && itemCode === undefined) {
    errors.push('The description field is mandatory for each line item.');
  }
  if (itemCode !== undefined && chart.itemCodes !== undefined && !chart.itemCodes.includes(itemCode)) {
    errors.push(`Item code '${itemCode}' is not a valid code.`);
  }
  const account = accountCode === undefined ? undefined : chart.accounts[accountCode];
  if (accountCode !== undefined && account === undefined) {
    errors.push(`Account code '${accountCode}' is not a valid code for this document.`);
  }
  if (accountCode === undefined && itemCode === undefined && context.status !== 'DRAFT') {
    errors.push('An account code must be specified for each line item of an approved invoice.');
  }

  let taxType = text(line.TaxType) ?? account?.defaultTaxType ?? 'NONE';
  if (context.lineAmountTypes === 'NoTax') taxType = 'NONE';
  const rateText = chart.taxRates[taxType];
  if (rateText === undefined) {
    errors.push(
      `The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.`,
    );
  }

  const quantityRead = decimal(line.Quantity);
  const unitRead = decimal(line.UnitAmount);
  const lineAmountRead = decimal(line.LineAmount);
  if (quantityRead === 'invalid') errors.push('Quantity must be a number.');
  if (unitRead === 'invalid') errors.push('Unit Price must be a number.');
  if (lineAmountRead === 'invalid') errors.push('Line Amount must be a number.');
  const quantity = (quantityRead instanceof Decimal ? quantityRead : new Decimal(1)).toDecimalPlaces(
    4,
    Decimal.ROUND_HALF_UP,
  );
  const discount = readDiscount(line, errors);
  const givenLineAmount = lineAmountRead instanceof Decimal ? roundAmount(lineAmountRead) : undefined;

  let unitAmount: Decimal;
  if (unitRead instanceof Decimal)
    unitAmount = unitRead.toDecimalPlaces(context.unitdp, Decimal.ROUND_HALF_UP);
  else if (givenLineAmount !== undefined && !quantity.isZero()) {
    // NOTE: Xero works out the missing unit amount from LineAmount and Quantity.
    const beforeDiscount =
      discount?.kind === 'amount' ? givenLineAmount.plus(discount.amount) : givenLineAmount;
    unitAmount = beforeDiscount.dividedBy(quantity).toDecimalPlaces(context.unitdp, Decimal.ROUND_HALF_UP);
  } else unitAmount = new Decimal(0);

  const expected = expectedLineAmount({ quantity, unitAmount, discount });
  let lineAmount = expected;
  if (givenLineAmount !== undefined) {
    if (unitRead instanceof Decimal && !givenLineAmount.equals(expected)) {
      errors.push(
        `The line amount ${givenLineAmount.toFixed(2)} does not match quantity × unit price less discount (${expected.toFixed(2)}).`,
      );
    }
    lineAmount = givenLineAmount;
  }
  // NOTE: xero_accounting.yaml LineItem.TaxAmount: "auto calculated as a percentage of the line amount
  // ... based on the tax rate. This value can be overriden if the calculated TaxAmount is not correct."
  const taxRead = decimal(line.TaxAmount);
  if (taxRead === 'invalid') errors.push('Tax Amount must be a number.');
  const tax =
    taxRead instanceof Decimal && context.lineAmountTypes !== 'NoTax'
      ? roundAmount(taxRead)
      : lineTax(lineAmount, new Decimal(rateText ?? '0'), context.lineAmountTypes);
  return {
    description,
    quantity: quantity.toFixed(),
    unitAmount: unitAmount.toFixed(),
    lineAmount: lineAmount.toFixed(2),
    discountAmount: discount?.kind === 'amount' ? discount.amount.toFixed(2) : undefined,
    discountRate: discount?.kind === 'rate' ? discount.percent.toFixed() : undefined,
    taxAmount: tax.toFixed(2),
    accountCode,
    itemCode,
    taxType,
    tracking: readTracking(line, context.books, errors),
    lineAmountDecimal: lineAmount,
    taxDecimal: tax,
  };
}

function discountOf(line: Omit<StoredLineItem, 'lineItemId'>): Decimal {
  if (line.discountAmount !== undefined) return new Decimal(line.discountAmount);
  if (line.discountRate === undefined) return new Decimal(0);
  const gross = roundAmount(new Decimal(line.quantity).times(line.unitAmount));
  return gross.minus(line.lineAmount);
}

/** Validates one invoice element for creation; every problem is reported, as Xero does. */
export function readInvoiceElement(element: Record<string, unknown>, context: ReadContext): ReadInvoice {
  const errors: string[] = [];
  const type = text(element.Type) ?? '';
  if (!INVOICE_TYPES.has(type)) errors.push('Invoice Type must be ACCREC or ACCPAY.');
  const status = text(element.Status) ?? 'DRAFT';
  if (!NEW_STATUSES.has(status)) errors.push(`Status '${status}' cannot be used when creating an invoice.`);
  const invoiceNumber = text(element.InvoiceNumber);
  if (invoiceNumber !== undefined && invoiceNumber.length > 255) {
    errors.push('Invoice number must be 255 characters or less.');
  }
  const typesText = text(element.LineAmountTypes) ?? 'Exclusive';
  const lineAmountTypes: LineAmountType = isLineAmountType(typesText) ? typesText : 'Exclusive';
  if (!isLineAmountType(typesText)) errors.push(`LineAmountTypes '${typesText}' is not valid.`);
  const currencyCode = text(element.CurrencyCode) ?? context.books.chart.baseCurrency;
  if (!/^[A-Z]{3}$/.test(currencyCode)) errors.push(`The currency code '${currencyCode}' is not valid.`);

  const date = dayOf(element.Date);
  const dueDate = dayOf(element.DueDate);
  if (date === 'invalid') errors.push('Date is not a valid date.');
  if (dueDate === 'invalid') errors.push('Due Date is not a valid date.');
  if (dueDate === undefined && status === 'AUTHORISED') errors.push('Due Date is required.');

  const contact = readContact(element, context.books, errors);
  const lineElements = records(element.LineItems);
  if (lineElements.length === 0 && status !== 'DRAFT') {
    errors.push('An approved invoice must have at least one line item.');
  }
  const lines = lineElements.map((line) => readLine(line, { ...context, status, lineAmountTypes }, errors));
  if (errors.length > 0) return { ok: false, errors };

  const lineItems = lines.map(({ lineAmountDecimal: _amount, taxDecimal: _tax, ...line }) => line);
  return {
    ok: true,
    draft: {
      type,
      status,
      invoiceNumber,
      reference: text(element.Reference),
      contact,
      currencyCode,
      date: date === undefined || date === 'invalid' ? context.today : date.day,
      dueDate: dueDate === undefined || dueDate === 'invalid' ? undefined : dueDate.day,
      lineAmountTypes,
      lineItems,
      totals: invoiceTotals(
        lines.map((line) => ({ lineAmount: line.lineAmountDecimal, taxAmount: line.taxDecimal })),
        lineAmountTypes,
      ),
      totalDiscount: lineItems.reduce((total, line) => total.plus(discountOf(line)), new Decimal(0)),
    },
  };
}
