import type { CurrencyCode } from '../money/currency.ts';
import { Decimal, ZERO } from '../money/decimal.ts';
import { roundMoney } from '../money/rounding.ts';
import { priceModel } from './price-models.ts';
import { prorate } from './proration.ts';
import type { ChargeInput, LineWorking, PriceModel } from './types.ts';

/** One charge priced, before discounts and tax. */
export interface PricedCharge {
  /** 1 for flat fees, otherwise the charge's quantity. */
  quantity: Decimal;
  /** After the model, proration and minimum; not rounded. */
  exactAmount: Decimal;
  /** exactAmount rounded once to the currency. */
  amount: Decimal;
  unitAmount: Decimal;
  working: Omit<LineWorking, 'discounts' | 'tax'>;
}

const ONE = new Decimal(1);

/** Prices one charge: the model, then proration (flat only), then the minimum, then one rounding. */
export function priceCharge(charge: ChargeInput, currency: CurrencyCode): PricedCharge {
  const { model, proration } = charge;
  const quantity = model.kind === 'flat' ? ONE : charge.quantity;
  const priced = priceModel(model, quantity);
  const modelAmount =
    model.kind === 'flat' && proration !== undefined
      ? prorate(priced.exactAmount, proration)
      : priced.exactAmount;

  let exactAmount = modelAmount;
  let minimum: LineWorking['minimum'];
  if (charge.minimum !== undefined) {
    if (charge.minimum.lt(0)) {
      throw new RangeError(`charge ${charge.key}: minimum must not be negative`);
    }
    // A commitment for part of a period is the same part of the commitment, whatever the model.
    const due = proration === undefined ? charge.minimum : prorate(charge.minimum, proration);
    const topUp = modelAmount.lt(due) ? due.minus(modelAmount) : ZERO;
    exactAmount = modelAmount.plus(topUp);
    minimum = { minimum: due.toFixed(), topUp: topUp.toFixed() };
  }

  const amount = roundMoney(exactAmount, currency);
  return {
    quantity,
    exactAmount,
    amount,
    unitAmount: unitAmountFor(model, quantity, amount),
    working: {
      model: model.kind,
      quantity: quantity.toFixed(),
      steps: priced.steps,
      ...(minimum !== undefined && { minimum }),
      ...(proration !== undefined && { proration: { ...proration } }),
      exactAmount: exactAmount.toFixed(),
    },
  };
}

function unitAmountFor(model: PriceModel, quantity: Decimal, amount: Decimal): Decimal {
  if (model.kind === 'per_unit') return model.unitPrice;
  if (model.kind === 'flat') return amount;
  if (quantity.isZero()) return ZERO;
  // NOTE: informational (amount per unit on the document), not money, so not roundMoney.
  return amount.dividedBy(quantity).toDecimalPlaces(10);
}
