import { z } from 'zod';
import { isCurrencyCode } from '../money/currency.ts';
import { parseDecimal } from '../money/decimal.ts';

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

const code = z.string().trim().min(1).max(100);

/** Validates an order at the trust boundary (the webhook route) and again as the job's payload. */
export const oneOffOrderSchema = z.object({
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
  label: z.string().trim().min(1).max(200),
  customer: z.object({
    externalId: z.string().trim().min(1).max(200).optional(),
    email: z.string().trim().min(1).max(320).optional(),
    name: z.string().max(500).optional(),
  }),
  currency: z.string().refine(isCurrencyCode, { error: 'currency must be an ISO 4217 code, such as GBP' }),
  orderedAt: z.iso.datetime({ offset: true }),
  pricesIncludeTax: z.boolean(),
  lines: z
    .array(
      z.object({
        description: z.string().trim().min(1).max(1000),
        quantity: decimal('quantity').refine((text) => parseDecimal(text)?.greaterThan(0) === true, {
          error: 'quantity must be more than 0',
        }),
        unitPrice: decimal('unitPrice'),
        discount: decimal('discount')
          .refine((text) => parseDecimal(text)?.isNegative() === false, {
            error: 'discount must not be negative',
          })
          .optional(),
        sku: z.string().max(200).optional(),
      }),
    )
    .min(1, { error: 'an order needs at least one line' })
    .max(1000),
  mapping: z.object({ glAccount: code.optional(), itemCode: code.optional() }),
  startedBy: z.string().trim().min(1).max(200),
}) satisfies z.ZodType<OneOffOrder>;
