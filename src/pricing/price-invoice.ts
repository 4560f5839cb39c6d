/**
 * Rounding rule: each line's amount, its discount and its tax are each rounded once, half away from
 * zero, to the currency's minor unit (JPY 0, USD 2, KWD 3 decimals). Invoice totals are sums of the
 * rounded line figures and are never rounded again, so lines always add up to the totals.
 */
import type { CurrencyCode } from '../money/currency.ts';
import { ZERO, sum, type Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import { allocateInvoiceDiscount, discountLabel, lineDiscountAmount } from './discounts.ts';
import { priceCharge, type PricedCharge } from './price-charge.ts';
import { taxLine, taxWorking } from './tax.ts';
import type { ChargeInput, InvoiceDiscount, InvoiceInput, PricedInvoice, PricedLine } from './types.ts';

interface DraftLine {
  charge: ChargeInput;
  priced: PricedCharge;
  discounts: { label: string; amount: Decimal }[];
}

/** Prices a whole invoice: every charge, its discount, the invoice discounts in order, then tax per line. */
export function priceInvoice(input: InvoiceInput): PricedInvoice {
  const { currency, pricesIncludeTax } = input;
  assertUniqueKeys(input.charges);

  const drafts: DraftLine[] = input.charges.map((charge) => {
    const priced = priceCharge(charge, currency);
    const discount = lineDiscountAmount(priced.amount, charge.discount, currency);
    const discounts =
      charge.discount === undefined || discount.isZero()
        ? []
        : [{ label: discountLabel(charge.discount, currency), amount: discount }];
    return { charge, priced, discounts };
  });
  for (const invoiceDiscount of input.invoiceDiscounts ?? []) {
    applyInvoiceDiscount(drafts, invoiceDiscount, currency);
  }

  const lines = drafts.map((draft) => toPricedLine(draft, pricesIncludeTax, currency));
  return {
    currency,
    pricesIncludeTax,
    lines,
    subtotal: sum(lines.map((line) => line.amount)),
    discountTotal: sum(lines.map((line) => line.discountAmount)),
    taxTotal: sum(lines.map((line) => line.taxAmount)),
    total: sum(lines.map((line) => line.totalAmount)),
    notes: [...new Set(input.charges.flatMap(({ tax }) => (tax.kind === 'standard' ? [] : [tax.note])))],
  };
}

function applyInvoiceDiscount(
  drafts: DraftLine[],
  invoiceDiscount: InvoiceDiscount,
  currency: CurrencyCode,
): void {
  const { chargeKeys } = invoiceDiscount;
  const unknown = chargeKeys?.filter((key) => !drafts.some((draft) => draft.charge.key === key)) ?? [];
  if (unknown.length > 0) {
    throw new RangeError(
      `invoice discount "${invoiceDiscount.label}" names unknown charges: ${unknown.join(', ')}`,
    );
  }
  const eligible = drafts.filter((draft) => chargeKeys?.includes(draft.charge.key) ?? true);
  // Each discount applies to what earlier discounts left, so two discounts never give away more than the line.
  const bases = eligible.map((draft) => draft.priced.amount.minus(discountOf(draft)));
  const shares = allocateInvoiceDiscount(invoiceDiscount.discount, bases, currency);
  eligible.forEach((draft, index) => {
    const share = shares[index] ?? ZERO;
    if (!share.isZero()) draft.discounts.push({ label: invoiceDiscount.label, amount: share });
  });
}

function toPricedLine(draft: DraftLine, pricesIncludeTax: boolean, currency: CurrencyCode): PricedLine {
  const { charge, priced } = draft;
  const discountAmount = discountOf(draft);
  const tax = taxLine(priced.amount.minus(discountAmount), charge.tax, pricesIncludeTax, currency);
  return {
    key: charge.key,
    description: charge.description,
    quantity: priced.quantity,
    unitAmount: priced.unitAmount,
    amount: priced.amount,
    discountAmount,
    ...tax,
    working: {
      ...priced.working,
      discounts: draft.discounts.map(({ label, amount }) => ({
        label,
        amount: toMoneyString(amount, currency),
      })),
      tax: taxWorking(charge.tax, pricesIncludeTax),
    },
  };
}

function discountOf(draft: DraftLine): Decimal {
  return sum(draft.discounts.map((discount) => discount.amount));
}

function assertUniqueKeys(charges: readonly ChargeInput[]): void {
  const seen = new Set<string>();
  for (const { key } of charges) {
    if (seen.has(key)) throw new RangeError(`charge key "${key}" appears twice on the invoice`);
    seen.add(key);
  }
}
