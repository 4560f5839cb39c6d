import { z } from 'zod';
import { amountProblem, rateProblem } from '../money/bounds.ts';
import { Decimal } from '../money/decimal.ts';
import type { IntakeCatalog } from './intake-catalog.ts';
import type { IntakeColumns } from './intake-columns.ts';
import {
  booleanField,
  optionalDate,
  optionalDecimal,
  requiredCatalogCode,
  requiredDate,
  requiredText,
} from './intake-fields.ts';

export const SUBSCRIPTION_COLUMNS: IntakeColumns = {
  all: [
    'external_id',
    'customer',
    'plan',
    'starts_on',
    'ends_on',
    'discount_percent',
    'discount_amount',
    'prorate',
  ],
  required: ['external_id', 'customer', 'plan', 'starts_on'],
};

/** One subscription row. `ends_on` is exclusive: the first day no longer billed. */
export function subscriptionRowSchema(catalog: IntakeCatalog) {
  return z
    .strictObject({
      external_id: requiredText("the subscription's id in your system", 200),
      customer: requiredText("the customer's external id", 200),
      plan: requiredCatalogCode({ expected: 'a plan code from billing.yml', codes: catalog.planCodes }),
      starts_on: requiredDate(),
      ends_on: optionalDate(),
      discount_percent: optionalDecimal({
        expected: 'a percentage',
        example: '12.5',
        min: new Decimal(0),
        max: new Decimal(100),
        bound: rateProblem,
      }),
      // An amount: checked against the plan's currency's minor units below, once the plan is known.
      discount_amount: optionalDecimal({
        expected: 'an amount',
        example: '50.00',
        min: new Decimal(0),
        bound: (amount) => amountProblem(amount),
      }),
      prorate: booleanField(true),
    })
    .superRefine((row, ctx) => {
      const currency = catalog.planCurrencies.get(row.plan);
      const amountBeyond =
        row.discount_amount === undefined || currency === undefined
          ? undefined
          : amountProblem(row.discount_amount, currency);
      if (amountBeyond !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['discount_amount'],
          message: `expected an amount in ${currency} (plan ${row.plan}'s currency), got "${row.discount_amount?.toFixed() ?? ''}", which ${amountBeyond}`,
        });
      }
      // NOTE: dates are YYYY-MM-DD, so text order is date order.
      if (row.ends_on !== undefined && row.ends_on <= row.starts_on) {
        ctx.addIssue({
          code: 'custom',
          path: ['ends_on'],
          message:
            `expected a date after starts_on (${row.starts_on}); ends_on is the first day no longer billed, ` +
            `got "${row.ends_on}"`,
        });
      }
    });
}

export type SubscriptionRow = z.output<ReturnType<typeof subscriptionRowSchema>>;
