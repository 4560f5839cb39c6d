import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { priceModel } from './price-models.ts';
import type { PriceModel, Tier } from './types.ts';

const d = (value: string) => new Decimal(value);
const tier = (upTo: string | null, unitPrice: string, flatFee = '0'): Tier => ({
  upTo: upTo === null ? null : d(upTo),
  unitPrice: d(unitPrice),
  flatFee: d(flatFee),
});

// API calls: the first 10,000 free, then 0.002 each to 50,000, then 0.001 each.
const apiCalls: PriceModel = {
  kind: 'graduated',
  tiers: [tier('10000', '0'), tier('50000', '0.002'), tier(null, '0.001')],
};
// Storage in GB, with a flat fee for reaching each of the first two tiers.
const storage: PriceModel = {
  kind: 'graduated',
  tiers: [tier('10', '0.50', '5'), tier('100', '0.25', '10'), tier(null, '0.10')],
};
// Seats: every seat at the price of the band the total reaches.
const seats: PriceModel = {
  kind: 'volume',
  tiers: [tier('100', '1.00'), tier('1000', '0.80', '20'), tier(null, '0.50', '50')],
};
const smsBundles: PriceModel = { kind: 'package', packageSize: d('1000'), packagePrice: d('25') };
const halfHours: PriceModel = { kind: 'package', packageSize: d('0.5'), packagePrice: d('10') };
const perUnit = (unitPrice: string): PriceModel => ({ kind: 'per_unit', unitPrice: d(unitPrice) });
const percentage = (percent: string): PriceModel => ({ kind: 'percentage', percent: d(percent) });

describe('priceModel', () => {
  it.each<[string, PriceModel, string, string]>([
    ['graduated: zero usage costs nothing', apiCalls, '0', '0'],
    ['graduated: exactly at the free tier limit', apiCalls, '10000', '0'],
    ['graduated: one unit over the free tier', apiCalls, '10001', '0.002'],
    ['graduated: exactly at the second limit', apiCalls, '50000', '80'],
    ['graduated: one unit into the open tier', apiCalls, '50001', '80.001'],
    ['graduated: well into the open tier', apiCalls, '100000', '130'],
    ['graduated: 10^15 units', apiCalls, '1000000000000000', '1000000000030'],
    ['graduated: zero GB pays no tier fee', storage, '0', '0'],
    ['graduated: half a GB pays the first fee', storage, '0.5', '5.25'],
    ['graduated: exactly 10 GB stays in the first tier', storage, '10', '10'],
    ['graduated: 12.5 GB reaches the second tier and its fee', storage, '12.5', '20.625'],
    ['graduated: exactly 100 GB', storage, '100', '42.5'],
    ['graduated: 100.01 GB, a fraction into the open tier', storage, '100.01', '42.501'],
    ['graduated: a single open tier', { kind: 'graduated', tiers: [tier(null, '0.01')] }, '250', '2.5'],
    ['volume: zero seats cost nothing', seats, '0', '0'],
    ['volume: one seat', seats, '1', '1'],
    ['volume: exactly at the first limit', seats, '100', '100'],
    ['volume: a fraction over the first limit moves every unit', seats, '100.5', '100.4'],
    ['volume: one over the first limit', seats, '101', '100.8'],
    ['volume: exactly at the second limit', seats, '1000', '820'],
    ['volume: one over the second limit is cheaper (the volume cliff)', seats, '1001', '550.5'],
    ['volume: 10^15 units', seats, '1000000000000000', '500000000000050'],
    ['package: nothing used, no package', smsBundles, '0', '0'],
    ['package: one unit buys a whole package', smsBundles, '1', '25'],
    ['package: exactly one package', smsBundles, '1000', '25'],
    ['package: half a unit over needs a second package', smsBundles, '1000.5', '50'],
    ['package: 10,001 units are 11 packages', smsBundles, '10001', '275'],
    ['package: fractional package size (2.2 h in half hours)', halfHours, '2.2', '50'],
    [
      'package: 10^15 units',
      { kind: 'package', packageSize: d('1000'), packagePrice: d('0.01') },
      '1000000000000000',
      '10000000000',
    ],
    ['per unit: 1,500 at 0.0125', perUnit('0.0125'), '1500', '18.75'],
    ['per unit: 10^15 units at 0.000001', perUnit('0.000001'), '1000000000000000', '1000000000'],
    ['per unit: a negative quantity is a credit', perUnit('20'), '-3', '-60'],
    ['per unit: zero units', perUnit('5'), '0', '0'],
    ['per unit: fractional units, long unit price', perUnit('0.333333'), '12.5', '4.1666625'],
    ['percentage: 2.9% of 1,000', percentage('2.9'), '1000', '29'],
    ['percentage: 2.9% of 1,234.56', percentage('2.9'), '1234.56', '35.80224'],
    ['percentage: of a refund is a credit', percentage('2.9'), '-100', '-2.9'],
    ['percentage: 0.25% of one cent', percentage('0.25'), '0.01', '0.000025'],
    ['percentage: 0% is nothing', percentage('0'), '500', '0'],
    ['flat: the quantity is ignored', { kind: 'flat', amount: d('49.99') }, '7', '49.99'],
  ])('%s', (_name, model, quantity, expected) => {
    expect(priceModel(model, d(quantity)).exactAmount.toFixed()).toBe(expected);
  });

  it('shows each graduated tier reached, with its units, price, fee and amount', () => {
    expect(priceModel(storage, d('12.5')).steps).toEqual([
      { label: 'Up to 10', quantity: '10', unitPrice: '0.5', flatFee: '5', amount: '10' },
      { label: 'Over 10 up to 100', quantity: '2.5', unitPrice: '0.25', flatFee: '10', amount: '10.625' },
    ]);
    expect(priceModel(apiCalls, d('50001')).steps.map((step) => [step.label, step.quantity])).toEqual([
      ['Up to 10000', '10000'],
      ['Over 10000 up to 50000', '40000'],
      ['Over 50000', '1'],
    ]);
  });

  it.each<[string, PriceModel]>([
    ['graduated', storage],
    ['volume', seats],
    ['package', smsBundles],
  ])('charges no %s step for zero usage', (_kind, model) => {
    expect(priceModel(model, d('0')).steps).toEqual([]);
  });

  it('prices every volume unit at the tier the total reaches, plus that tier’s fee', () => {
    expect(priceModel(seats, d('101')).steps).toEqual([
      { label: 'Over 100 up to 1000', quantity: '101', unitPrice: '0.8', flatFee: '20', amount: '100.8' },
    ]);
  });

  it('counts whole packages in the working', () => {
    expect(priceModel(smsBundles, d('10001')).steps).toEqual([
      { label: 'Packages of 1000', quantity: '11', unitPrice: '25', flatFee: '0', amount: '275' },
    ]);
  });

  it('shows a percentage as its rate per unit of the amount', () => {
    expect(priceModel(percentage('2.9'), d('1000')).steps).toEqual([
      { label: '2.9% of amount', quantity: '1000', unitPrice: '0.029', flatFee: '0', amount: '29' },
    ]);
  });

  it.each<[string, PriceModel]>([
    ['graduated', storage],
    ['volume', seats],
    ['package', smsBundles],
  ])('refuses a negative quantity for %s pricing', (kind, model) => {
    expect(() => priceModel(model, d('-1'))).toThrow(
      new RangeError(`${kind} price: quantity must not be negative, got -1`),
    );
  });

  it('refuses tiers without an open last tier, or with limits that do not rise', () => {
    expect(() => priceModel({ kind: 'graduated', tiers: [tier('10', '1')] }, d('5'))).toThrow(RangeError);
    expect(() => priceModel({ kind: 'volume', tiers: [] }, d('5'))).toThrow(RangeError);
    expect(() =>
      priceModel({ kind: 'graduated', tiers: [tier('10', '1'), tier('10', '2'), tier(null, '3')] }, d('5')),
    ).toThrow(RangeError);
    expect(() => priceModel({ kind: 'volume', tiers: [tier(null, '1'), tier(null, '2')] }, d('5'))).toThrow(
      RangeError,
    );
  });

  it('refuses a package size of zero', () => {
    expect(() => priceModel({ kind: 'package', packageSize: d('0'), packagePrice: d('1') }, d('5'))).toThrow(
      RangeError,
    );
  });
});
