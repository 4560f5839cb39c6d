import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { oneOffOrderSchema, type OneOffOrder } from './one-off-order.ts';

const order: OneOffOrder = {
  origin: 'shopify:order:450789469',
  label: 'Shopify order #1001',
  customer: { email: 'billing@acme.example' },
  currency: 'GBP',
  orderedAt: '2026-10-15T23:30:00Z',
  pricesIncludeTax: false,
  lines: [{ description: 'Enamel mug', quantity: '3', unitPrice: '7.99', discount: '0.50' }],
  mapping: { glAccount: '4000' },
  startedBy: 'webhook:shopify',
};

function problems(input: unknown): string {
  const parsed = oneOffOrderSchema.safeParse(input);
  return parsed.success ? '' : z.prettifyError(parsed.error);
}

describe('oneOffOrderSchema', () => {
  it('accepts a normalized order as it is', () => {
    expect(oneOffOrderSchema.parse(order)).toEqual(order);
  });

  it.each([
    ['an origin without source, kind and id', { origin: '450789469' }, "origin must read 'source:kind:id'"],
    [
      "an origin that reads like a run's scope",
      { origin: 'customers:acme:x' },
      "may not start with 'customers:'",
    ],
    ['a currency that is no ISO code', { currency: 'POUNDS' }, 'currency must be an ISO 4217 code'],
    ['a date without a zone', { orderedAt: '2026-10-15 23:30' }, 'orderedAt'],
    ['no lines', { lines: [] }, 'an order needs at least one line'],
    [
      'an amount as a number',
      { lines: [{ description: 'Mug', quantity: '1', unitPrice: 7.99 }] },
      'lines[0].unitPrice',
    ],
    [
      'an amount that is not a decimal',
      { lines: [{ description: 'Mug', quantity: '1', unitPrice: '7,99' }] },
      'unitPrice must be an exact decimal',
    ],
    [
      'a quantity of zero',
      { lines: [{ description: 'Mug', quantity: '0', unitPrice: '7.99' }] },
      'quantity must be more than 0',
    ],
    [
      'a negative discount',
      { lines: [{ description: 'Mug', quantity: '1', unitPrice: '7.99', discount: '-1' }] },
      'discount must not be negative',
    ],
  ])('refuses %s, naming the field', (_case, change, expected) => {
    expect(problems({ ...order, ...change })).toContain(expected);
  });
});
