import { Decimal } from '../src/money/decimal.ts';
import { formatAmount } from './slack-text.ts';

/** How tax applies to an invoice, as its lines were priced. */
export type TaxTreatmentView =
  | { kind: 'standard'; labels: string[] }
  | { kind: 'exempt' }
  | { kind: 'reverse_charge' }
  /** No line says (an invoice without lines, or one whose tax was never determined). */
  | { kind: 'unknown' };

export interface AmountFacts {
  currency: string;
  /** Lines before the discount: net, or gross when prices include tax. */
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  pricesIncludeTax: boolean;
  treatment: TaxTreatmentView;
}

/**
 * The total as a sum a person can check on its face, with the tax treatment in words:
 * "*£513.96* = £431.60 − discount £3.30 + VAT 20% £85.66", "*€1,128.32* including USt 19% €180.16",
 * "*€948.16*, no tax: reverse charge (the customer accounts for it)".
 */
export function amountLine(facts: AmountFacts): string {
  const money = (amount: string) => formatAmount(amount, facts.currency);
  const discounted = !new Decimal(facts.discount).isZero();
  const before = discounted ? ` = ${money(facts.subtotal)} − discount ${money(facts.discount)}` : '';
  const total = `*${money(facts.total)}*`;
  const { treatment } = facts;
  if (treatment.kind === 'reverse_charge')
    return `${total}${before}, no tax: reverse charge (the customer accounts for it)`;
  if (treatment.kind === 'exempt') return `${total}${before}, no tax: exempt`;
  const label = treatment.kind === 'standard' ? treatment.labels.join(' and ') : 'tax';
  if (facts.pricesIncludeTax)
    return `${total}${before}${discounted ? ',' : ''} including ${label} ${money(facts.tax)}`;
  const net = discounted ? before : ` = ${money(facts.subtotal)}`;
  return `${total}${net} + ${label} ${money(facts.tax)}`;
}
