import { describe, expect, it } from 'vitest';

import type { ErpContactInput, ErpInvoiceInput } from '../../ports/erp-client.ts';
import {
  chooseCustomer,
  customerDisplayNames,
  toErpInvoiceRef,
  toQuickBooksInvoice,
  toWireAmount,
} from './quickbooks-mapping.ts';

const contact: ErpContactInput = {
  customerKey: 'cus_1',
  name: 'Acme: Widgets\tLtd',
  email: undefined,
  taxNumber: undefined,
  addressLines: [],
  currency: 'USD',
};

function invoice(overrides: Partial<ErpInvoiceInput> = {}): ErpInvoiceInput {
  return {
    number: 'INV-1',
    contactId: '58',
    currency: 'USD',
    issueDate: '2026-11-01',
    dueDate: '2026-12-01',
    pricesIncludeTax: false,
    total: '10.00',
    totalTax: '0.00',
    lines: [
      {
        description: 'Seats',
        quantity: '1',
        unitAmount: '10.00',
        lineAmount: '10.00',
        discountAmount: '0.00',
        accountCode: undefined,
        itemCode: undefined,
        taxType: undefined,
        taxAmount: '0.00',
        tracking: {},
      },
    ],
    ...overrides,
  };
}

describe('toWireAmount', () => {
  it.each([
    ['0.1', 0.1],
    ['1234567890.12', 1234567890.12],
    ['-5.00', -5],
    ['0.0000012345', 0.0000012345],
    ['-0.00', 0],
  ])('sends %s as the number %s', (text, expected) => {
    expect(toWireAmount(text, 'amount')).toEqual({ ok: true, value: expected });
  });

  it('refuses an amount a double cannot carry exactly instead of rounding it', () => {
    expect(toWireAmount('12345678901234567.89', 'Line 1: amount')).toMatchObject({
      ok: false,
      error: { code: 'validation', retryable: false },
    });
  });

  it('refuses text that is not a number', () => {
    expect(toWireAmount('12,50', 'amount')).toMatchObject({ ok: false });
  });
});

describe('toQuickBooksInvoice', () => {
  it('sends a line finer than QuickBooks’ 7 decimals as 1 × its amount, the working in the description', () => {
    const line = {
      ...invoice().lines[0],
      description: 'API calls',
      quantity: '1000000',
      unitAmount: '0.0015068493',
      lineAmount: '1506.85',
    } as ErpInvoiceInput['lines'][number];
    const mapped = toQuickBooksInvoice(invoice({ lines: [line], total: '1506.85' }), {
      defaultItemId: undefined,
      automatedSalesTax: false,
    });
    expect(mapped).toMatchObject({
      ok: true,
      value: {
        Line: [
          {
            Description: 'API calls (1000000 × 0.0015068493)',
            Amount: 1506.85,
            SalesItemLineDetail: { Qty: 1, UnitPrice: 1506.85 },
          },
        ],
      },
    });
  });

  it('keeps quantity × unit price when both fit 7 decimals and make the amount to the cent', () => {
    const line = {
      ...invoice().lines[0],
      quantity: '3',
      unitAmount: '0.3333333',
      lineAmount: '1.00',
    } as ErpInvoiceInput['lines'][number];
    const mapped = toQuickBooksInvoice(invoice({ lines: [line], total: '1.00' }), {
      defaultItemId: undefined,
      automatedSalesTax: false,
    });
    expect(mapped).toMatchObject({
      ok: true,
      value: {
        Line: [
          {
            Description: 'Seats',
            SalesItemLineDetail: { Qty: 3, UnitPrice: 0.3333333 },
          },
        ],
      },
    });
  });

  it('leaves ItemRef out when there is no item code and no default item', () => {
    const payload = toQuickBooksInvoice(invoice(), { defaultItemId: undefined, automatedSalesTax: false });

    expect(payload).toMatchObject({
      ok: true,
      value: {
        Line: [{ SalesItemLineDetail: { Qty: 1, UnitPrice: 10 } }],
        GlobalTaxCalculation: 'TaxExcluded',
      },
    });
    expect(JSON.stringify(payload)).not.toContain('ItemRef');
  });

  it('marks tax-inclusive prices as TaxInclusive', () => {
    expect(
      toQuickBooksInvoice(invoice({ pricesIncludeTax: true }), {
        defaultItemId: '1',
        automatedSalesTax: false,
      }),
    ).toMatchObject({
      ok: true,
      value: { GlobalTaxCalculation: 'TaxInclusive' },
    });
  });

  it('refuses a number longer than the 21 characters QuickBooks allows', () => {
    expect(
      toQuickBooksInvoice(invoice({ number: 'INV-2026-11-000000000001' }), {
        defaultItemId: '1',
        automatedSalesTax: false,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('refuses lines for two locations on one invoice', () => {
    const [first] = invoice().lines;
    if (first === undefined) throw new Error('fixture has a line');
    const lines = [
      { ...first, tracking: { location: '1' } },
      { ...first, tracking: { location: '2' } },
    ];

    const result = toQuickBooksInvoice(invoice({ lines }), { defaultItemId: '1', automatedSalesTax: false });

    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});

describe('toErpInvoiceRef', () => {
  it.each([
    [110, 110, 'open'],
    [110, 10, 'partially_paid'],
    [110, 0, 'paid'],
  ])('reads TotalAmt %s with Balance %s as %s', (total, balance, status) => {
    expect(
      toErpInvoiceRef(
        { Id: '130', DocNumber: 'INV-1', TotalAmt: total, Balance: balance, TxnTaxDetail: { TotalTax: 10 } },
        'USD',
      ),
    ).toEqual({
      ok: true,
      value: { id: '130', number: 'INV-1', total: '110.00', totalTax: '10.00', status },
    });
  });

  it('writes the total with the currency’s decimals', () => {
    const ref = toErpInvoiceRef(
      { Id: '1', DocNumber: 'A', TotalAmt: 1200, CurrencyRef: { value: 'JPY' } },
      'USD',
    );

    expect(ref).toMatchObject({ ok: true, value: { total: '1200' } });
  });
});

describe('chooseCustomer', () => {
  it('cleans characters QuickBooks refuses in names', () => {
    expect(customerDisplayNames(contact)).toEqual({
      plain: 'Acme Widgets Ltd',
      keyed: 'Acme Widgets Ltd (cus_1)',
    });
  });

  it('prefers the customer whose Notes carry our key', () => {
    const candidates = [
      { Id: '1', DisplayName: 'Acme Widgets Ltd', Notes: 'billops customer key: cus_9' },
      { Id: '2', DisplayName: 'Acme Widgets Ltd (cus_1)', Notes: 'billops customer key: cus_1' },
    ];

    expect(chooseCustomer(candidates, contact)).toEqual({ existingId: '2' });
  });

  it('creates under the keyed name when another billops customer holds the plain one', () => {
    const candidates = [{ Id: '1', DisplayName: 'Acme Widgets Ltd', Notes: 'billops customer key: cus_9' }];

    expect(chooseCustomer(candidates, contact)).toEqual({ createAs: 'Acme Widgets Ltd (cus_1)' });
  });

  it('creates under the plain name when nobody has it', () => {
    expect(chooseCustomer([], contact)).toEqual({ createAs: 'Acme Widgets Ltd' });
  });
});
