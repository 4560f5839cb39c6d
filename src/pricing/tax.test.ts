import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import { isRoundedFor, toMoneyString } from '../money/rounding.ts';
import { taxLine, taxWorking } from './tax.ts';
import type { TaxTreatment } from './types.ts';

const d = (value: string) => new Decimal(value);
const vat = (rate: string): TaxTreatment => ({ kind: 'standard', rate: d(rate), label: `VAT ${rate}%` });
const exempt: TaxTreatment = { kind: 'exempt', note: 'Exempt: education services' };
const reverseCharge: TaxTreatment = {
  kind: 'reverse_charge',
  note: 'Reverse charge: customer to account for VAT',
};
const money = (amount: Decimal, currency: string) =>
  isRoundedFor(amount, currency) ? toMoneyString(amount, currency) : `unrounded ${amount.toFixed()}`;

describe('taxLine', () => {
  it.each<
    [string, string, string, TaxTreatment, boolean, [rate: string, net: string, tax: string, total: string]]
  >([
    ['20% added to 100.00', 'USD', '100.00', vat('20'), false, ['20', '100.00', '20.00', '120.00']],
    ['20% of 0.03 rounds up to a cent', 'USD', '0.03', vat('20'), false, ['20', '0.03', '0.01', '0.04']],
    ['20% of 0.02 rounds down to nothing', 'USD', '0.02', vat('20'), false, ['20', '0.02', '0.00', '0.02']],
    ['8.875% sales tax on 10.00', 'USD', '10.00', vat('8.875'), false, ['8.875', '10.00', '0.89', '10.89']],
    [
      '10% on ¥1,005 rounds half away from zero',
      'JPY',
      '1005',
      vat('10'),
      false,
      ['10', '1005', '101', '1106'],
    ],
    ['5% on KWD 1.005', 'KWD', '1.005', vat('5'), false, ['5', '1.005', '0.050', '1.055']],
    [
      '10% on BHD 0.005 is half a fils, rounded up',
      'BHD',
      '0.005',
      vat('10'),
      false,
      ['10', '0.005', '0.001', '0.006'],
    ],
    [
      '20% on a credit is a negative tax',
      'EUR',
      '-10.00',
      vat('20'),
      false,
      ['20', '-10.00', '-2.00', '-12.00'],
    ],
    ['0% rate', 'EUR', '10.00', vat('0'), false, ['0', '10.00', '0.00', '10.00']],
    ['120.00 including 20%', 'GBP', '120.00', vat('20'), true, ['20', '100.00', '20.00', '120.00']],
    ['10.00 including 20%', 'GBP', '10.00', vat('20'), true, ['20', '8.33', '1.67', '10.00']],
    ['¥1,000 including 10%', 'JPY', '1000', vat('10'), true, ['10', '909', '91', '1000']],
    ['BHD 1.100 including 10%', 'BHD', '1.100', vat('10'), true, ['10', '1.000', '0.100', '1.100']],
    [
      'a credit of 11.90 including 19%',
      'EUR',
      '-11.90',
      vat('19'),
      true,
      ['19', '-10.00', '-1.90', '-11.90'],
    ],
    ['exempt, prices excluding tax', 'USD', '50.00', exempt, false, ['0', '50.00', '0.00', '50.00']],
    ['exempt, prices including tax', 'USD', '50.00', exempt, true, ['0', '50.00', '0.00', '50.00']],
    ['reverse charge', 'EUR', '50.00', reverseCharge, false, ['0', '50.00', '0.00', '50.00']],
  ])('%s', (_name, currency, discounted, treatment, inclusive, [rate, net, tax, total]) => {
    const line = taxLine(d(discounted), treatment, inclusive, currency);
    expect({
      rate: line.taxRate.toFixed(),
      net: money(line.netAmount, currency),
      tax: money(line.taxAmount, currency),
      total: money(line.totalAmount, currency),
    }).toEqual({ rate, net, tax, total });
  });

  it('refuses a negative rate', () => {
    expect(() => taxLine(d('10'), vat('-5'), false, 'USD')).toThrow(RangeError);
  });
});

describe('taxWorking', () => {
  it('records the rate, label and basis of a standard rate, or the note of an exemption', () => {
    expect(taxWorking(vat('20'), true)).toEqual({
      kind: 'standard',
      rate: '20',
      label: 'VAT 20%',
      inclusive: true,
    });
    expect(taxWorking(reverseCharge, false)).toEqual({
      kind: 'reverse_charge',
      note: 'Reverse charge: customer to account for VAT',
    });
  });
});
