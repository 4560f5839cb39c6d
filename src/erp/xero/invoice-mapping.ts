import { Contact, CurrencyCode, Invoice, LineAmountTypes, LineItem, LineItemTracking } from 'xero-node';

import { Decimal, parseDecimal } from '../../money/decimal.ts';
import type { ErpError, ErpInvoiceInput, ErpInvoiceLine, ErpInvoiceRef } from '../../ports/erp-client.ts';
import { fromXeroAmount, toXeroNumber } from './xero-amounts.ts';
import { xeroModel } from './xero-models.ts';

// billops invoice → Xero ACCREC invoice, approved (AUTHORISED) with our number, as xero-node models it.

/** NOTE: with unitdp=4 Xero keeps unit prices and quantities to 4 decimals; amounts to 2. */
export const XERO_UNIT_DECIMALS = 4;
const XERO_AMOUNT_DECIMALS = 2;

export type Mapped<T> = { ok: true; value: T } | { ok: false; error: ErpError };

function refuse(number: string, reason: string): { ok: false; error: ErpError } {
  return {
    ok: false,
    error: { retryable: false, code: 'validation', message: `Invoice ${number}: ${reason}` },
  };
}

export function xeroCurrency(code: string): CurrencyCode | undefined {
  return Object.hasOwn(CurrencyCode, code) ? CurrencyCode[code as keyof typeof CurrencyCode] : undefined;
}

function number(text: string, what: string, invoice: string): Mapped<number> {
  const value = toXeroNumber(text);
  return value === undefined
    ? refuse(invoice, `${what} "${text}" cannot be sent to Xero exactly.`)
    : { ok: true, value };
}

/**
 * One line. Xero's LineAmount is after the discount, and Xero checks it against Quantity × UnitAmount.
 * When our quantity or unit price is finer than Xero's 4 decimals (0.00045 per API call), or our rounded
 * amount is not what Xero would compute from them, the line goes as 1 × the amount, keeping the exact
 * working in the description, so Xero's totals are ours to the cent.
 */
function toLineItem(line: ErpInvoiceLine, index: number, invoice: string): Mapped<LineItem> {
  const label = `line ${index + 1}`;
  const quantity = parseDecimal(line.quantity);
  const unitAmount = parseDecimal(line.unitAmount);
  const amount = parseDecimal(line.lineAmount);
  const discount = parseDecimal(line.discountAmount);
  if (quantity === undefined || unitAmount === undefined || amount === undefined || discount === undefined) {
    return refuse(invoice, `${label} has an amount that is not a decimal number.`);
  }
  if (amount.decimalPlaces() > XERO_AMOUNT_DECIMALS || discount.decimalPlaces() > XERO_AMOUNT_DECIMALS) {
    return refuse(invoice, `${label}: Xero keeps amounts to 2 decimal places.`);
  }
  const computed = quantity.times(unitAmount).toDecimalPlaces(XERO_AMOUNT_DECIMALS, Decimal.ROUND_HALF_UP);
  const exact =
    quantity.decimalPlaces() <= XERO_UNIT_DECIMALS &&
    unitAmount.decimalPlaces() <= XERO_UNIT_DECIMALS &&
    computed.equals(amount);
  const sentQuantity = exact
    ? number(line.quantity, `${label} quantity`, invoice)
    : { ok: true as const, value: 1 };
  const sentUnit = number(exact ? line.unitAmount : line.lineAmount, `${label} unit price`, invoice);
  const sentAmount = number(amount.minus(discount).toFixed(), `${label} amount`, invoice);
  const sentDiscount = number(line.discountAmount, `${label} discount`, invoice);
  const sentTax = number(line.taxAmount, `${label} tax`, invoice);
  if (!sentQuantity.ok) return sentQuantity;
  if (!sentUnit.ok) return sentUnit;
  if (!sentAmount.ok) return sentAmount;
  if (!sentDiscount.ok) return sentDiscount;
  if (!sentTax.ok) return sentTax;
  const working = exact ? '' : ` (${quantity.toFixed()} × ${unitAmount.toFixed()})`;
  const item = xeroModel(LineItem, {
    description: `${line.description}${working}`,
    quantity: sentQuantity.value,
    unitAmount: sentUnit.value,
    lineAmount: sentAmount.value,
    // NOTE: xero_accounting.yaml LineItem.TaxAmount: "auto calculated ... This value can be overriden if
    // the calculated TaxAmount is not correct": ours is sent, so Xero holds exactly the tax on the PDF.
    taxAmount: sentTax.value,
    tracking: Object.entries(line.tracking).map(([name, option]) =>
      xeroModel(LineItemTracking, { name, option }),
    ),
  });
  if (!discount.isZero()) item.discountAmount = sentDiscount.value;
  if (line.accountCode !== undefined) item.accountCode = line.accountCode;
  if (line.itemCode !== undefined) item.itemCode = line.itemCode;
  if (line.taxType !== undefined) item.taxType = line.taxType;
  return { ok: true, value: item };
}

/** The Xero invoice for one of ours, or why it cannot be sent. */
export function toXeroInvoice(input: ErpInvoiceInput): Mapped<Invoice> {
  const currencyCode = xeroCurrency(input.currency);
  if (currencyCode === undefined)
    return refuse(input.number, `Xero does not support the currency ${input.currency}.`);
  if (input.lines.length === 0)
    return refuse(input.number, 'an approved Xero invoice needs at least one line.');
  const lineItems: LineItem[] = [];
  for (const [index, line] of input.lines.entries()) {
    const mapped = toLineItem(line, index, input.number);
    if (!mapped.ok) return mapped;
    lineItems.push(mapped.value);
  }
  return {
    ok: true,
    value: xeroModel(Invoice, {
      type: Invoice.TypeEnum.ACCREC,
      status: Invoice.StatusEnum.AUTHORISED,
      invoiceNumber: input.number,
      contact: xeroModel(Contact, { contactID: input.contactId }),
      currencyCode,
      date: input.issueDate,
      dueDate: input.dueDate,
      lineAmountTypes: input.pricesIncludeTax ? LineAmountTypes.Inclusive : LineAmountTypes.Exclusive,
      lineItems,
    }),
  };
}

/** Our reference to an invoice Xero holds; undefined when Xero's answer lacks what we need. */
export function toInvoiceRef(invoice: Invoice, fallbackCurrency: string): ErpInvoiceRef | undefined {
  const currency = invoice.currencyCode === undefined ? fallbackCurrency : String(invoice.currencyCode);
  const total = fromXeroAmount(invoice.total, currency);
  const totalTax = fromXeroAmount(invoice.totalTax ?? 0, currency);
  if (
    invoice.invoiceID === undefined ||
    invoice.invoiceNumber === undefined ||
    total === undefined ||
    totalTax === undefined
  )
    return undefined;
  return {
    id: invoice.invoiceID,
    number: invoice.invoiceNumber,
    total,
    totalTax,
    status: invoice.status === undefined ? 'UNKNOWN' : String(invoice.status),
  };
}
