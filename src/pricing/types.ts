import type { CurrencyCode } from '../money/currency.ts';
import type { Decimal } from '../money/decimal.ts';

// The pricing engine's inputs and outputs. Pure data: no I/O anywhere in src/pricing/.

/** One band of a tiered price. `upTo` is inclusive; null means "and above" (the last tier only). */
export interface Tier {
  upTo: Decimal | null;
  unitPrice: Decimal;
  /** Charged once when any quantity falls in the tier (graduated) or when the tier is the one used (volume). */
  flatFee: Decimal;
}

export type PriceModel =
  /** A recurring fee per billing period; prorated by day when the subscription starts or ends inside it. */
  | { kind: 'flat'; amount: Decimal }
  | { kind: 'per_unit'; unitPrice: Decimal }
  /** Each unit priced at the tier it falls in (10,000 free, then 0.002 each…). */
  | { kind: 'graduated'; tiers: readonly Tier[] }
  /** Every unit priced at the tier the total quantity reaches. */
  | { kind: 'volume'; tiers: readonly Tier[] }
  /** Blocks of `packageSize` units at `packagePrice` each; a partial block costs a whole one. */
  | { kind: 'package'; packageSize: Decimal; packagePrice: Decimal }
  /** A percentage of the quantity, which is itself an amount (e.g. 2.9% of payment volume). */
  | { kind: 'percentage'; percent: Decimal };

export type PriceModelKind = PriceModel['kind'];

export type Discount = { kind: 'percent'; percent: Decimal } | { kind: 'amount'; amount: Decimal };

export type TaxTreatment =
  /** `rate` is a percentage (20 for 20%); `label` names it on documents ("VAT 20%"). */
  | { kind: 'standard'; rate: Decimal; label: string }
  /** No tax; the note is printed on the invoice. */
  | { kind: 'exempt'; note: string }
  /** No tax charged; the customer accounts for it. The note is printed on the invoice. */
  | { kind: 'reverse_charge'; note: string };

/** Days the subscription was active inside the period, out of the period's days. */
export interface Proration {
  activeDays: number;
  periodDays: number;
}

export interface ChargeInput {
  /** Unique within the invoice; carried to the priced line so callers can join their own data. */
  key: string;
  description: string;
  model: PriceModel;
  /** The usage total for metered models; ignored by `flat` (always 1). May be zero. */
  quantity: Decimal;
  /** Minimum spend for this charge in the period: a smaller amount is topped up to it. */
  minimum?: Decimal;
  /** A discount on this line only. */
  discount?: Discount;
  /** Only for `flat`: the fee is multiplied by activeDays / periodDays. */
  proration?: Proration;
  tax: TaxTreatment;
}

/** A discount on the invoice (or on some of its lines), shared out across lines pro rata. */
export interface InvoiceDiscount {
  label: string;
  discount: Discount;
  /** Charge keys it applies to; all lines when absent. */
  chargeKeys?: readonly string[];
}

export interface InvoiceInput {
  currency: CurrencyCode;
  /** Inclusive: prices already contain tax, which is backed out per line. Exclusive: tax is added. */
  pricesIncludeTax: boolean;
  charges: readonly ChargeInput[];
  invoiceDiscounts?: readonly InvoiceDiscount[];
}

/** JSON-ready working of one line, kept for the approval card and the audit trail. All amounts are strings. */
export interface LineWorking {
  model: PriceModelKind;
  quantity: string;
  /** Tiers applied, packages counted, or the single flat/per-unit step. */
  steps: { label: string; quantity: string; unitPrice: string; flatFee: string; amount: string }[];
  minimum?: { minimum: string; topUp: string };
  proration?: Proration;
  /** The amount before the line was rounded: Σ steps (× the proration, flat only) + the minimum's top-up. */
  exactAmount: string;
  discounts: { label: string; amount: string }[];
  tax:
    | { kind: 'standard'; rate: string; label: string; inclusive: boolean }
    | { kind: 'exempt' | 'reverse_charge'; note: string };
}

export interface PricedLine {
  key: string;
  description: string;
  quantity: Decimal;
  /** Amount ÷ quantity (the price itself for flat and per-unit); unrounded, at most 10 decimals. */
  unitAmount: Decimal;
  /** The priced amount, rounded: net of tax when exclusive, gross when inclusive. */
  amount: Decimal;
  /** Line discount plus this line's share of invoice discounts, rounded; same basis as `amount`. */
  discountAmount: Decimal;
  /** amount − discount, less tax when inclusive: what tax is charged on. */
  netAmount: Decimal;
  taxRate: Decimal;
  taxAmount: Decimal;
  /** netAmount + taxAmount. */
  totalAmount: Decimal;
  working: LineWorking;
}

export interface PricedInvoice {
  currency: CurrencyCode;
  pricesIncludeTax: boolean;
  lines: PricedLine[];
  /** Σ amount. */
  subtotal: Decimal;
  /** Σ discountAmount. */
  discountTotal: Decimal;
  /** Σ taxAmount. */
  taxTotal: Decimal;
  /** Σ totalAmount: subtotal − discount + tax when exclusive; subtotal − discount when inclusive. */
  total: Decimal;
  /** Exempt and reverse-charge notes, each once, in line order. */
  notes: string[];
}
