import { z } from 'zod';
import { quantityProblem } from '../money/bounds.ts';
import type { IntakeColumns } from './intake-columns.ts';
import {
  jsonObjectField,
  requiredDecimal,
  requiredPattern,
  requiredText,
  timestampField,
} from './intake-fields.ts';

export const USAGE_COLUMNS: IntakeColumns = {
  all: ['event_id', 'customer', 'metric', 'quantity', 'occurred_at', 'properties'],
  required: ['event_id', 'customer', 'metric', 'quantity', 'occurred_at'],
};

/**
 * One usage event. The metric is not checked against plans: usage for a metric nobody prices yet must
 * not be lost (the billing run flags it).
 */
export const usageEventSchema = z.strictObject({
  event_id: requiredText('a unique event id', 200),
  customer: requiredText("the customer's external id", 200),
  metric: requiredPattern(
    'a metric name of letters, digits and _ . : - (at most 100)',
    /^[A-Za-z0-9_.:-]{1,100}$/,
  ),
  quantity: requiredDecimal({ expected: 'a decimal number', example: '12.5', bound: quantityProblem }),
  occurred_at: timestampField(),
  properties: jsonObjectField(),
});

export type UsageEvent = z.output<typeof usageEventSchema>;
