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
    [
      'a 40-digit quantity',
      { lines: [{ description: 'Mug', quantity: '1'.repeat(40), unitPrice: '7.99' }] },
      'quantity is beyond 999,999,999,999,999, the largest quantity billops accepts',
    ],
    [
      'a unit price with 13 decimal places',
      { lines: [{ description: 'Mug', quantity: '1', unitPrice: '0.0000000000001' }] },
      'unitPrice has 13 decimal places; a unit price may have at most 12',
    ],
    [
      'a JPY discount of 10.5',
      { currency: 'JPY', lines: [{ description: 'Mug', quantity: '1', unitPrice: '800', discount: '10.5' }] },
      '→ at lines[0].discount',
    ],
    [
      'a line whose quantity times price is beyond the largest amount',
      { lines: [{ description: 'Mug', quantity: '1000000000', unitPrice: '100000' }] },
      'quantity × unitPrice comes to 100000000000000 GBP, which is beyond 999,999,999,999, the largest amount',
    ],
    [
      'a description with a line break',
      { lines: [{ description: 'Mug\r\nBcc: x@example.com', quantity: '1', unitPrice: '7.99' }] },
      'this text contains a line break (CR) at character 4',
    ],
    ['a customer name with a NUL', { customer: { name: 'Acme\u0000' } }, 'contains a NUL character'],
    ['a label with an escape', { label: 'Order \u001b[2J' }, 'contains an escape character (ESC)'],
  ])('refuses %s, naming the field', (_case, change, expected) => {
    expect(problems({ ...order, ...change })).toContain(expected);
  });

  it('says what is wrong with a JPY discount of 10.5', () => {
    const message = problems({
      ...order,
      currency: 'JPY',
      lines: [{ description: 'Mug', quantity: '1', unitPrice: '800', discount: '10.5' }],
    });
    expect(message).toContain(
      'discount has 1 decimal place, but JPY amounts have none (its minor unit); write a whole number of minor units, such as 11',
    );
  });

  it('accepts a per-unit price finer than the currency', () => {
    const fine = { ...order, lines: [{ description: 'API calls', quantity: '120000', unitPrice: '0.0015' }] };
    expect(oneOffOrderSchema.parse(fine)).toEqual(fine);
  });
});
