// What a line's Qty and Unit price columns show, and its price in words beneath the description, so a
// customer can check every figure: a unit price only where quantity × unit price comes to the amount.
import type { CurrencyCode } from '../money/currency.ts';
import { Decimal } from '../money/decimal.ts';
import { roundMoney } from '../money/rounding.ts';
import type { LineWorking, PriceModelKind } from '../pricing/types.ts';
import type { InvoiceDocumentLine } from './invoice-document.ts';
import { formatQuantity, formatUnitPrice } from './invoice-figures.ts';

export interface LinePriceCells {
  /** The Qty column, an exact decimal: what the unit price counts (packages for a package price); '' for none. */
  quantity: string;
  /** The Unit price column, an exact decimal; undefined when no single price times the quantity makes the amount. */
  unitPrice: string | undefined;
  /** "1.4% of €73,522.50", "21,500 in packages of 1,000: 22 packages × £1.50", one tier a line. */
  basis: string[];
}

type Step = LineWorking['steps'][number];

const MODELS: ReadonlySet<string> = new Set<PriceModelKind>([
  'flat',
  'per_unit',
  'graduated',
  'volume',
  'package',
  'percentage',
]);

/** True for a stored calculation this module can read; older or hand-made lines may carry `{}`. */
export function isLineWorking(value: unknown): value is LineWorking {
  if (typeof value !== 'object' || value === null) return false;
  const { model, quantity, steps } = value as Record<string, unknown>;
  return (
    typeof model === 'string' && MODELS.has(model) && typeof quantity === 'string' && Array.isArray(steps)
  );
}

/** The line's price as the customer can check it, from the working pricing recorded for it. */
export function linePriceCells(line: InvoiceDocumentLine, currency: CurrencyCode): LinePriceCells {
  const { working } = line;
  const shown = (quantity: string, candidate: string | undefined, basis: string[]): LinePriceCells => ({
    quantity,
    unitPrice:
      candidate !== undefined && quantity !== '' && addsUp(quantity, candidate, line.amount, currency)
        ? candidate
        : undefined,
    basis,
  });
  if (working === undefined) return shown(line.quantity, line.unitAmount, []);

  const money = (amount: string) => formatUnitPrice(amount, currency);
  const [single, ...more] = working.steps;
  const onlyStep = more.length === 0 ? single : undefined;
  const noFee = (step: Step | undefined) => step !== undefined && new Decimal(step.flatFee).isZero();
  const { minimum } = working;
  const toppedUp = minimum !== undefined && !new Decimal(minimum.topUp).isZero();
  const basis: string[] = [];
  let quantity = working.quantity;
  let candidate: string | undefined;

  if (working.steps.length === 0 && working.model !== 'flat') basis.push('No usage in the period');
  switch (working.model) {
    case 'flat': {
      quantity = '1';
      candidate = line.unitAmount;
      if (working.proration !== undefined && single !== undefined) {
        const { activeDays, periodDays } = working.proration;
        basis.push(`${money(single.unitPrice)} for ${activeDays} of ${periodDays} days`);
      }
      break;
    }
    case 'per_unit':
      candidate = onlyStep?.unitPrice;
      // Topped up, the columns cannot show the price (it no longer makes the amount): the words do.
      if (toppedUp && onlyStep !== undefined) basis.push(stepWorking(onlyStep, money));
      break;
    case 'percentage':
      quantity = '';
      if (onlyStep !== undefined) {
        const percent = new Decimal(onlyStep.unitPrice).times(100).toFixed();
        basis.push(`${percent}% of ${money(onlyStep.quantity)}`);
      }
      break;
    case 'package':
      if (onlyStep !== undefined) {
        quantity = onlyStep.quantity;
        candidate = onlyStep.unitPrice;
        const size = /^Packages of (\d+(?:\.\d+)?)$/.exec(onlyStep.label)?.[1];
        const packages = `${formatQuantity(onlyStep.quantity)} ${
          new Decimal(onlyStep.quantity).eq(1) ? 'package' : 'packages'
        } × ${money(onlyStep.unitPrice)}`;
        basis.push(
          size === undefined
            ? `${formatQuantity(working.quantity)}: ${packages}`
            : `${formatQuantity(working.quantity)} in packages of ${formatQuantity(size)}: ${packages}`,
        );
      }
      break;
    case 'volume':
      if (onlyStep !== undefined) {
        candidate = noFee(onlyStep) ? onlyStep.unitPrice : undefined;
        const tier = tierWords(onlyStep.label);
        const price = noFee(onlyStep)
          ? `every unit at ${money(onlyStep.unitPrice)}`
          : stepWorking(onlyStep, money);
        basis.push(tier === undefined ? `Volume price: ${price}` : `Volume tier ${tier}: ${price}`);
      }
      break;
    case 'graduated':
      candidate = noFee(onlyStep) ? onlyStep?.unitPrice : undefined;
      for (const step of working.steps) {
        basis.push(`${groupNumbers(step.label)}: ${stepWorking(step, money)}`);
      }
      break;
    default:
      return working.model satisfies never;
  }

  if (toppedUp) {
    const used = new Decimal(working.exactAmount).minus(minimum.topUp).toFixed();
    basis.push(
      `Minimum spend ${money(minimum.minimum)}: usage came to ${money(used)}, topped up by ${money(minimum.topUp)}`,
    );
  }
  return shown(quantity, candidate, basis);
}

/** quantity × unit price, rounded once as the line was, is the amount printed. */
function addsUp(quantity: string, unitPrice: string, amount: string, currency: CurrencyCode): boolean {
  return roundMoney(new Decimal(quantity).times(unitPrice), currency).eq(amount);
}

/** "5,000 × £0.002 + £5.00 flat fee = £15.00". */
function stepWorking(step: Step, money: (amount: string) => string): string {
  const fee = new Decimal(step.flatFee).isZero() ? '' : ` + ${money(step.flatFee)} flat fee`;
  return `${formatQuantity(step.quantity)} × ${money(step.unitPrice)}${fee} = ${money(step.amount)}`;
}

/** "over 1,000 up to 10,000" from the tier's label; undefined for the one tier of all units. */
function tierWords(label: string): string | undefined {
  if (label === 'All units') return undefined;
  const grouped = groupNumbers(label);
  return `${grouped.charAt(0).toLowerCase()}${grouped.slice(1)}`;
}

/** "Over 10000 up to 50000" → "Over 10,000 up to 50,000". */
function groupNumbers(text: string): string {
  return text.replace(/\d+(?:\.\d+)?/g, (number) => formatQuantity(number));
}
