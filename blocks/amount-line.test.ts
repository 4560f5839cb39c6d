import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/money/decimal.ts';
import { amountLine, type AmountFacts } from './amount-line.ts';

// The card's total must add up on its face: the figures read off the rendered line, in order, make
// the total by the arithmetic the words say (issue 20: "£513.96 (subtotal £431.60 + tax £85.66)" hid a
// £3.30 discount; a tax-inclusive card read "€1,128.32 (subtotal €1,128.32 + tax €180.16)").

const figures = (text: string) =>
  [...text.matchAll(/[£€$]([\d,]+\.\d{2})/g)].map(
    (match) => new Decimal((match[1] ?? '0').replaceAll(',', '')),
  );

const facts = (overrides: Partial<AmountFacts>): AmountFacts => ({
  currency: 'GBP',
  subtotal: '431.60',
  discount: '0.00',
  tax: '85.66',
  total: '517.26',
  pricesIncludeTax: false,
  treatment: { kind: 'standard', labels: ['VAT 20%'] },
  ...overrides,
});

describe('amountLine', () => {
  it('adds net, less the discount, plus tax for prices before tax', () => {
    const line = amountLine(facts({ discount: '3.30', total: '513.96' }));

    expect(line).toBe('*£513.96* = £431.60 − discount £3.30 + VAT 20% £85.66');
    const [total, subtotal, discount, tax] = figures(line);
    expect(
      subtotal
        ?.minus(discount ?? 0)
        .plus(tax ?? 0)
        .equals(total ?? -1),
    ).toBe(true);
  });

  it('adds net plus tax when there is no discount', () => {
    const line = amountLine(facts({}));

    expect(line).toBe('*£517.26* = £431.60 + VAT 20% £85.66');
    const [total, subtotal, tax] = figures(line);
    expect(subtotal?.plus(tax ?? 0).equals(total ?? -1)).toBe(true);
  });

  it('says tax is included for prices that include it, and does not add it again', () => {
    const plain = amountLine(
      facts({
        currency: 'EUR',
        subtotal: '1128.32',
        tax: '180.16',
        total: '1128.32',
        pricesIncludeTax: true,
        treatment: { kind: 'standard', labels: ['USt 19%'] },
      }),
    );
    const discounted = amountLine(
      facts({
        currency: 'EUR',
        subtotal: '1128.32',
        discount: '3.30',
        tax: '179.63',
        total: '1125.02',
        pricesIncludeTax: true,
        treatment: { kind: 'standard', labels: ['USt 19%'] },
      }),
    );

    expect(plain).toBe('*€1,128.32* including USt 19% €180.16');
    expect(discounted).toBe('*€1,125.02* = €1,128.32 − discount €3.30, including USt 19% €179.63');
    const [total, subtotal, discount] = figures(discounted);
    expect(subtotal?.minus(discount ?? 0).equals(total ?? -1)).toBe(true);
  });

  it('names reverse charge and exemption in words, with no tax figure to add', () => {
    const reverse = amountLine(
      facts({
        currency: 'EUR',
        tax: '0.00',
        total: '948.16',
        subtotal: '951.46',
        discount: '3.30',
        treatment: { kind: 'reverse_charge' },
      }),
    );
    const exempt = amountLine(
      facts({ tax: '0.00', total: '100.00', subtotal: '100.00', treatment: { kind: 'exempt' } }),
    );

    expect(reverse).toBe(
      '*€948.16* = €951.46 − discount €3.30, no tax: reverse charge (the customer accounts for it)',
    );
    expect(exempt).toBe('*£100.00*, no tax: exempt');
    const [total, subtotal, discount] = figures(reverse);
    expect(subtotal?.minus(discount ?? 0).equals(total ?? -1)).toBe(true);
  });
});
