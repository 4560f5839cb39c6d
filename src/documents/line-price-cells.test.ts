import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { roundMoney } from '../money/rounding.ts';
import type { PriceModel, Tier } from '../pricing/types.ts';
import { isLineWorking, linePriceCells } from './line-price-cells.ts';
import { samplePricedLine } from './sample-invoice-document.ts';

const pricedLine = samplePricedLine;

const tier = (upTo: string | null, unitPrice: string, flatFee = '0'): Tier => ({
  upTo: upTo === null ? null : new Decimal(upTo),
  unitPrice: new Decimal(unitPrice),
  flatFee: new Decimal(flatFee),
});

const VOLUME: PriceModel = {
  kind: 'volume',
  tiers: [tier('1000', '0.10'), tier('10000', '0.08'), tier(null, '0.05')],
};

describe('linePriceCells', () => {
  it.each([
    {
      name: 'a percentage fee as the percent of the amount it is charged on',
      line: pricedLine({ kind: 'percentage', percent: new Decimal('1.4') }, '73522.50', {}, 'EUR'),
      cells: { quantity: '', unitPrice: undefined, basis: ['1.4% of €73,522.50'] },
    },
    {
      name: 'a package price as packages times the package price',
      line: pricedLine(
        { kind: 'package', packageSize: new Decimal(1000), packagePrice: new Decimal('1.50') },
        '21900',
      ),
      cells: {
        quantity: '22',
        unitPrice: '1.5',
        basis: ['21,900 in packages of 1,000: 22 packages × £1.50'],
      },
    },
    {
      name: 'one package in the singular',
      line: pricedLine(
        { kind: 'package', packageSize: new Decimal(1000), packagePrice: new Decimal('1.50') },
        '10',
      ),
      cells: { quantity: '1', unitPrice: '1.5', basis: ['10 in packages of 1,000: 1 package × £1.50'] },
    },
    {
      name: 'a per-unit price as it is, every digit kept',
      line: pricedLine({ kind: 'per_unit', unitPrice: new Decimal('0.0004') }, '1250000'),
      cells: { quantity: '1250000', unitPrice: '0.0004', basis: [] },
    },
    {
      name: 'a flat fee once',
      line: pricedLine({ kind: 'flat', amount: new Decimal(1200) }, '1'),
      cells: { quantity: '1', unitPrice: '1200', basis: [] },
    },
    {
      name: 'a prorated flat fee as the fee for the days',
      line: pricedLine({ kind: 'flat', amount: new Decimal(1200) }, '1', {
        proration: { activeDays: 17, periodDays: 31 },
      }),
      cells: { quantity: '1', unitPrice: '658.06', basis: ['£1,200.00 for 17 of 31 days'] },
    },
    {
      name: 'graduated tiers one a line, with no single unit price',
      line: pricedLine({ kind: 'graduated', tiers: [tier('10000', '0'), tier(null, '0.002', '5')] }, '15000'),
      cells: {
        quantity: '15000',
        unitPrice: undefined,
        basis: [
          'Up to 10,000: 10,000 × £0.00 = £0.00',
          'Over 10,000: 5,000 × £0.002 + £5.00 flat fee = £15.00',
        ],
      },
    },
    {
      name: 'a volume price as the tier reached, every unit at its price',
      line: pricedLine(VOLUME, '1286.5'),
      cells: {
        quantity: '1286.5',
        unitPrice: '0.08',
        basis: ['Volume tier over 1,000 up to 10,000: every unit at £0.08'],
      },
    },
    {
      name: 'a volume tier with a flat fee in words, with no single unit price',
      line: pricedLine({ kind: 'volume', tiers: [tier('1000', '0.10'), tier(null, '0.08', '5')] }, '1286.5'),
      cells: {
        quantity: '1286.5',
        unitPrice: undefined,
        basis: ['Volume tier over 1,000: 1,286.5 × £0.08 + £5.00 flat fee = £107.92'],
      },
    },
    {
      name: 'a per-unit price topped up to a minimum, with the usage and the top-up in words',
      line: pricedLine({ kind: 'per_unit', unitPrice: new Decimal('0.50') }, '100', {
        minimum: new Decimal(100),
      }),
      cells: {
        quantity: '100',
        unitPrice: undefined,
        basis: ['100 × £0.50 = £50.00', 'Minimum spend £100.00: usage came to £50.00, topped up by £50.00'],
      },
    },
    {
      name: 'no usage under a minimum',
      line: pricedLine(VOLUME, '0', { minimum: new Decimal(25) }),
      cells: {
        quantity: '0',
        unitPrice: undefined,
        basis: ['No usage in the period', 'Minimum spend £25.00: usage came to £0.00, topped up by £25.00'],
      },
    },
  ])('shows $name', ({ line, cells }) => {
    expect(linePriceCells(line, line.working?.model === 'percentage' ? 'EUR' : 'GBP')).toEqual(cells);
  });

  it('prints a unit price only where quantity × unit price comes to the amount', () => {
    const lines = [
      pricedLine({ kind: 'per_unit', unitPrice: new Decimal('0.333') }, '7'),
      pricedLine({ kind: 'package', packageSize: new Decimal(3), packagePrice: new Decimal('0.99') }, '1000'),
      pricedLine(VOLUME, '123456.789'),
      pricedLine({ kind: 'graduated', tiers: [tier(null, '0.0015')] }, '333'),
      pricedLine({ kind: 'flat', amount: new Decimal('99.99') }, '1', {
        proration: { activeDays: 1, periodDays: 30 },
      }),
    ];
    for (const line of lines) {
      const cells = linePriceCells(line, 'GBP');
      expect(cells.unitPrice).toBeDefined();
      expect(roundMoney(new Decimal(cells.quantity).times(cells.unitPrice ?? 'NaN'), 'GBP').toFixed(2)).toBe(
        line.amount,
      );
    }
    // A line whose stored unit amount was derived (amount ÷ quantity) shows none rather than one that does not multiply out.
    expect(
      linePriceCells(
        { ...pricedLine(VOLUME, '3'), working: undefined, quantity: '3', unitAmount: '0.0333333333' },
        'GBP',
      ),
    ).toEqual({ quantity: '3', unitPrice: undefined, basis: [] });
  });

  it('reads a stored calculation only when it has a known model, a quantity and steps', () => {
    expect(isLineWorking(pricedLine(VOLUME, '5').working)).toBe(true);
    expect(isLineWorking({})).toBe(false);
    expect(isLineWorking({ model: 'mystery', quantity: '1', steps: [] })).toBe(false);
    expect(isLineWorking(null)).toBe(false);
  });
});
