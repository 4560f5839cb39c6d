import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { amountsBeyondBounds } from './amount-bounds.ts';
import { priceInvoice } from './price-invoice.ts';
import type { ChargeInput, TaxTreatment } from './types.ts';

const vat: TaxTreatment = { kind: 'standard', rate: new Decimal(20), label: 'VAT 20%' };

function calls(quantity: string, unitPrice: string, key = 'calls'): ChargeInput {
  return {
    key,
    description: `API calls (${key})`,
    model: { kind: 'per_unit', unitPrice: new Decimal(unitPrice) },
    quantity: new Decimal(quantity),
    tax: vat,
  };
}

describe('amountsBeyondBounds', () => {
  it('is empty for an ordinary invoice', () => {
    const priced = priceInvoice({
      currency: 'USD',
      pricesIncludeTax: false,
      charges: [calls('1000', '0.5')],
    });
    expect(amountsBeyondBounds(priced)).toEqual([]);
  });

  it('names the line whose amount a huge quantity times its price pushed beyond the largest amount', () => {
    const priced = priceInvoice({
      currency: 'USD',
      pricesIncludeTax: false,
      charges: [calls('999999999999999', '1000'), calls('1', '1', 'ok')],
    });
    const problems = amountsBeyondBounds(priced);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^API calls \(calls\): the line's amount comes to US\$999,999,999,999,999,000\.00 \(quantity 999999999999999\), beyond US\$999,999,999,999\.99, the largest amount billops drafts/,
    );
    expect(problems[0]).toMatch(/check the usage or the price behind it$/);
  });

  it('flags a total beyond the bound when every line is within it', () => {
    const priced = priceInvoice({
      currency: 'JPY',
      pricesIncludeTax: false,
      charges: [calls('900000000000', '1', 'a'), calls('900000000000', '1', 'b')].map((charge) => ({
        ...charge,
        tax: { kind: 'exempt', note: 'Exempt' } as const,
      })),
    });
    expect(amountsBeyondBounds(priced)).toEqual([
      expect.stringMatching(
        /^The invoice comes to JP¥1,800,000,000,000, beyond JP¥999,999,999,999, the largest/,
      ),
    ]);
  });
});
