import { z } from 'zod';
import { controlCharacterProblem } from '../billing-config/single-line-text.ts';
import { amountProblem, quantityProblem, unitPriceProblem } from '../money/bounds.ts';
import { isCurrencyCode } from '../money/currency.ts';
import { parseDecimal, type Decimal } from '../money/decimal.ts';

// An order from outside (a fulfilled Shopify order, a HubSpot closed-won deal) normalized into what
// billops drafts one invoice from. It travels as a job payload, so dates and amounts are strings.

export interface OneOffOrderLine {
  description: string;
  /** Exact decimals as strings: "2", "12.50". */
  quantity: string;
  unitPrice: string;
  /** Amount off the line (not a percentage). */
  discount?: string;
  sku?: string;
}

export interface OneOffOrder {
  /** 'shopify:order:450789469' or 'hubspot:deal:123'; at most one live (non-void) invoice per origin, ever. */
  origin: string;
  /** 'Shopify order #1001': shown in Slack and in the invoice's notes. */
  label: string;
  customer: { externalId?: string; email?: string; name?: string };
  /** ISO 4217 code. */
  currency: string;
  /** ISO instant; the invoice's period is the order's local date in the billing time zone. */
  orderedAt: string;
  pricesIncludeTax: boolean;
  lines: OneOffOrderLine[];
  /** ERP mapping for the lines (billing.yml will provide it later; for now from the caller). */
  mapping: { glAccount?: string; itemCode?: string };
  /** 'webhook:shopify': shown and audited. */
  startedBy: string;
}

const decimal = (what: string) =>
  z.string().refine((text) => parseDecimal(text) !== undefined, {
    error: `${what} must be an exact decimal written as a string, such as "12.50"`,
  });

/** The bounds of money/bounds.ts on a decimal already known to parse. */
const within =
  (what: string, bound: (value: Decimal) => string | undefined) =>
  (text: string, context: z.RefinementCtx) => {
    const value = parseDecimal(text);
    const problem = value === undefined ? undefined : bound(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: `${what} ${problem}` });
  };

/** Names, labels, descriptions, ids: one line each, so none can break a mail header, a PDF or a message. */
const line = (schema: z.ZodString) =>
  schema.superRefine((text, context) => {
    const problem = controlCharacterProblem(text);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: `this text ${problem}` });
  });

const code = line(z.string().trim().min(1).max(100));

/** Validates an order at the trust boundary (the webhook route) and again as the job's payload. */
export const oneOffOrderSchema = z
  .object({
    // NOTE: the origin is also the run's trigger_key; 'source:kind:id' can never be a recurring run's key
    // ('all', 'customers:…', 'customers#…').
    origin: z
      .string()
      .max(200)
      .regex(/^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*:\S+$/, {
        error: "origin must read 'source:kind:id', such as 'shopify:order:450789469'",
      })
      .refine((origin) => !origin.startsWith('customers:'), {
        error: "origin may not start with 'customers:'",
      }),
    label: line(z.string().trim().min(1).max(200)),
    customer: z.object({
      externalId: line(z.string().trim().min(1).max(200)).optional(),
      email: line(z.string().trim().min(1).max(320)).optional(),
      name: line(z.string().max(500)).optional(),
    }),
    currency: z.string().refine(isCurrencyCode, { error: 'currency must be an ISO 4217 code, such as GBP' }),
    orderedAt: z.iso.datetime({ offset: true }),
    pricesIncludeTax: z.boolean(),
    lines: z
      .array(
        z.object({
          description: line(z.string().trim().min(1).max(1000)),
          quantity: decimal('quantity')
            .refine((text) => parseDecimal(text)?.greaterThan(0) === true, {
              error: 'quantity must be more than 0',
            })
            .superRefine(within('quantity', quantityProblem)),
          // A unit price may be finer than the currency (0.0015 each); the discount is an amount, checked
          // against the currency's minor units below.
          unitPrice: decimal('unitPrice').superRefine(within('unitPrice', unitPriceProblem)),
          discount: decimal('discount')
            .refine((text) => parseDecimal(text)?.isNegative() === false, {
              error: 'discount must not be negative',
            })
            .optional(),
          sku: line(z.string().max(200)).optional(),
        }),
      )
      .min(1, { error: 'an order needs at least one line' })
      .max(1000),
    mapping: z.object({ glAccount: code.optional(), itemCode: code.optional() }),
    startedBy: line(z.string().trim().min(1).max(200)),
  })
  .superRefine((order, context) => {
    order.lines.forEach((entry, index) => {
      const issue = (field: string, message: string) => {
        context.addIssue({ code: 'custom', path: ['lines', index, field], message });
      };
      const discount = entry.discount === undefined ? undefined : parseDecimal(entry.discount);
      const discountProblem = discount === undefined ? undefined : amountProblem(discount, order.currency);
      if (discountProblem !== undefined) issue('discount', `discount ${discountProblem}`);
      const quantity = parseDecimal(entry.quantity);
      const unitPrice = parseDecimal(entry.unitPrice);
      // Rounding cannot bring a line within bounds, so the size is checked on the whole part.
      const lineAmount =
        quantity === undefined || unitPrice === undefined ? undefined : quantity.times(unitPrice);
      const sizeProblem = lineAmount === undefined ? undefined : amountProblem(lineAmount.truncated());
      if (lineAmount !== undefined && sizeProblem !== undefined) {
        issue(
          'quantity',
          `quantity × unitPrice comes to ${lineAmount.toFixed()} ${order.currency}, which ${sizeProblem}`,
        );
      }
    });
  }) satisfies z.ZodType<OneOffOrder>;
