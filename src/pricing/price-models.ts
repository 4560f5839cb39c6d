import { Decimal, ZERO, sum } from '../money/decimal.ts';
import type { LineWorking, PriceModel, PriceModelKind, Tier } from './types.ts';

export type PriceStep = LineWorking['steps'][number];

/** What a model charges for a quantity, exact (before proration, minimum and rounding), with its working. */
export interface ModelPrice {
  exactAmount: Decimal;
  steps: PriceStep[];
}

export type ModelOf<K extends PriceModelKind> = Extract<PriceModel, { kind: K }>;

const ONE = new Decimal(1);
const HUNDRED = new Decimal(100);

/** The fee itself, once: quantity is always 1 (proration is applied to the line, not here). */
export function priceFlat(model: ModelOf<'flat'>): ModelPrice {
  return fromSteps([part('Flat fee', ONE, model.amount, ZERO)]);
}

/** quantity × unit price; a negative quantity is a credit. */
export function pricePerUnit(model: ModelOf<'per_unit'>, quantity: Decimal): ModelPrice {
  return fromSteps([part('Per unit', quantity, model.unitPrice, ZERO)]);
}

/** Each unit at the price of the tier it falls in, plus the flat fee of every tier it reaches. */
export function priceGraduated(model: ModelOf<'graduated'>, quantity: Decimal): ModelPrice {
  assertTiers(model.tiers, 'graduated');
  assertNotNegative(quantity, 'graduated');
  const parts: StepPart[] = [];
  let previous = ZERO;
  for (const [index, tier] of model.tiers.entries()) {
    const top = tier.upTo === null ? quantity : Decimal.min(quantity, tier.upTo);
    const units = top.minus(previous);
    // Zero usage reaches no tier, so it pays no flat fee either (minimums handle commitments).
    if (!units.gt(0)) break;
    parts.push(part(tierLabel(model.tiers, index), units, tier.unitPrice, tier.flatFee));
    if (tier.upTo === null) break;
    previous = tier.upTo;
  }
  return fromSteps(parts);
}

/** Every unit at the price of the tier the whole quantity reaches, plus that tier's flat fee. */
export function priceVolume(model: ModelOf<'volume'>, quantity: Decimal): ModelPrice {
  assertTiers(model.tiers, 'volume');
  assertNotNegative(quantity, 'volume');
  if (quantity.isZero()) return fromSteps([]);
  const index = model.tiers.findIndex((tier) => tier.upTo === null || tier.upTo.gte(quantity));
  const tier = model.tiers[index];
  if (tier === undefined) throw new RangeError('volume price: no tier covers the quantity');
  return fromSteps([part(tierLabel(model.tiers, index), quantity, tier.unitPrice, tier.flatFee)]);
}

/** Whole blocks of `packageSize`: a partial block costs a whole one (10,001 in blocks of 1,000 is 11). */
export function pricePackage(model: ModelOf<'package'>, quantity: Decimal): ModelPrice {
  if (!model.packageSize.gt(0)) {
    throw new RangeError(`package price: packageSize must be above 0, got ${model.packageSize.toFixed()}`);
  }
  assertNotNegative(quantity, 'package');
  if (quantity.isZero()) return fromSteps([]);
  const blocks = quantity.dividedBy(model.packageSize).ceil();
  return fromSteps([part(`Packages of ${model.packageSize.toFixed()}`, blocks, model.packagePrice, ZERO)]);
}

/** percent of the quantity, which is itself an amount (2.9% of payment volume); negative is a credit. */
export function pricePercentage(model: ModelOf<'percentage'>, quantity: Decimal): ModelPrice {
  const rate = model.percent.dividedBy(HUNDRED);
  return fromSteps([part(`${model.percent.toFixed()}% of amount`, quantity, rate, ZERO)]);
}

/** Prices a quantity with whichever model the charge uses. `flat` ignores the quantity. */
export function priceModel(model: PriceModel, quantity: Decimal): ModelPrice {
  if (!quantity.isFinite()) throw new RangeError(`${model.kind} price: quantity must be a finite number`);
  switch (model.kind) {
    case 'flat':
      return priceFlat(model);
    case 'per_unit':
      return pricePerUnit(model, quantity);
    case 'graduated':
      return priceGraduated(model, quantity);
    case 'volume':
      return priceVolume(model, quantity);
    case 'package':
      return pricePackage(model, quantity);
    case 'percentage':
      return pricePercentage(model, quantity);
    default:
      return model satisfies never;
  }
}

interface StepPart {
  label: string;
  quantity: Decimal;
  unitPrice: Decimal;
  flatFee: Decimal;
  amount: Decimal;
}

function part(label: string, quantity: Decimal, unitPrice: Decimal, flatFee: Decimal): StepPart {
  return { label, quantity, unitPrice, flatFee, amount: quantity.times(unitPrice).plus(flatFee) };
}

function fromSteps(parts: readonly StepPart[]): ModelPrice {
  return {
    exactAmount: sum(parts.map((step) => step.amount)),
    steps: parts.map((step) => ({
      label: step.label,
      quantity: step.quantity.toFixed(),
      unitPrice: step.unitPrice.toFixed(),
      flatFee: step.flatFee.toFixed(),
      amount: step.amount.toFixed(),
    })),
  };
}

function tierLabel(tiers: readonly Tier[], index: number): string {
  const upTo = tiers[index]?.upTo ?? null;
  const from = index === 0 ? null : (tiers[index - 1]?.upTo ?? null);
  if (from === null) return upTo === null ? 'All units' : `Up to ${upTo.toFixed()}`;
  return upTo === null ? `Over ${from.toFixed()}` : `Over ${from.toFixed()} up to ${upTo.toFixed()}`;
}

function assertNotNegative(quantity: Decimal, kind: PriceModelKind): void {
  if (quantity.lt(0)) {
    throw new RangeError(`${kind} price: quantity must not be negative, got ${quantity.toFixed()}`);
  }
}

// Tiers must rise strictly from 0 and end with an open tier, so every quantity falls in exactly one.
function assertTiers(tiers: readonly Tier[], kind: PriceModelKind): void {
  if (tiers.at(-1)?.upTo !== null) {
    throw new RangeError(`${kind} price: tiers must end with an open tier (upTo: null)`);
  }
  let previous = ZERO;
  for (const tier of tiers.slice(0, -1)) {
    if (tier.upTo === null || !tier.upTo.gt(previous)) {
      throw new RangeError(
        `${kind} price: tier limits must rise strictly above 0, only the last may be open`,
      );
    }
    previous = tier.upTo;
  }
}
