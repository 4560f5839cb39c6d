import { describe, expect, it } from 'vitest';
import { Invoice } from 'xero-node';

import type { ErpInvoiceInput, ErpInvoiceLine } from '../../ports/erp-client.ts';
import { toInvoiceRef, toXeroInvoice } from './invoice-mapping.ts';
import { xeroModel } from './xero-models.ts';

function line(overrides: Partial<ErpInvoiceLine> = {}): ErpInvoiceLine {
  return {
    description: 'Storage (GB-months)',
    quantity: '1250',
    unitAmount: '0.08',
    lineAmount: '100.00',
    discountAmount: '0.00',
    accountCode: '200',
    itemCode: 'STORAGE',
    taxType: 'OUTPUT2',
    taxAmount: '20.00',
    tracking: { Region: 'EU' },
    ...overrides,
  };
}

function input(overrides: Partial<ErpInvoiceInput> = {}): ErpInvoiceInput {
  return {
    number: 'INV-0042',
    contactId: 'c0ffee00-0000-4000-8000-000000000042',
    currency: 'GBP',
    issueDate: '2026-11-30',
    dueDate: '2026-12-30',
    pricesIncludeTax: false,
    lines: [line()],
    total: '120.00',
    totalTax: '20.00',
    ...overrides,
  };
}

describe('toXeroInvoice', () => {
  it('maps our invoice to an approved ACCREC invoice with our number', () => {
    const mapped = toXeroInvoice(input());
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(JSON.parse(JSON.stringify(mapped.value))).toEqual({
      type: 'ACCREC',
      status: 'AUTHORISED',
      invoiceNumber: 'INV-0042',
      contact: { contactID: 'c0ffee00-0000-4000-8000-000000000042' },
      currencyCode: 'GBP',
      date: '2026-11-30',
      dueDate: '2026-12-30',
      lineAmountTypes: 'Exclusive',
      lineItems: [
        {
          description: 'Storage (GB-months)',
          quantity: 1250,
          unitAmount: 0.08,
          lineAmount: 100,
          accountCode: '200',
          itemCode: 'STORAGE',
          taxType: 'OUTPUT2',
          taxAmount: 20,
          tracking: [{ name: 'Region', option: 'EU' }],
        },
      ],
    });
  });

  it('sends the line amount after the discount, and the discount beside it', () => {
    const mapped = toXeroInvoice(
      input({
        lines: [line({ quantity: '4', unitAmount: '1.50', lineAmount: '6.00', discountAmount: '0.60' })],
      }),
    );
    expect(mapped.ok && mapped.value.lineItems?.[0]).toMatchObject({
      quantity: 4,
      unitAmount: 1.5,
      discountAmount: 0.6,
      lineAmount: 5.4,
    });
  });

  it('sends a line whose rounded amount Xero could not recompute as 1 × the amount', () => {
    const prorated = line({
      quantity: '1',
      unitAmount: '9.6774193548',
      lineAmount: '9.68',
      description: 'Platform fee',
    });
    const mapped = toXeroInvoice(input({ lines: [prorated] }));
    expect(mapped.ok && mapped.value.lineItems?.[0]).toMatchObject({
      description: 'Platform fee (1 × 9.6774193548)',
      quantity: 1,
      unitAmount: 9.68,
      lineAmount: 9.68,
    });
  });

  it('marks prices that include tax as Inclusive', () => {
    const mapped = toXeroInvoice(input({ pricesIncludeTax: true }));
    expect(mapped.ok && String(mapped.value.lineAmountTypes)).toBe('Inclusive');
  });

  it.each([
    [input({ currency: 'XXQ' }), 'Invoice INV-0042: Xero does not support the currency XXQ.'],
    [input({ lines: [] }), 'Invoice INV-0042: an approved Xero invoice needs at least one line.'],
    [
      input({ lines: [line({ lineAmount: '100.005' })] }),
      'Invoice INV-0042: line 1: Xero keeps amounts to 2 decimal places.',
    ],
    [
      input({ lines: [line({ quantity: 'lots' })] }),
      'Invoice INV-0042: line 1 has an amount that is not a decimal number.',
    ],
  ])('refuses what Xero cannot hold exactly, saying why', (bad, message) => {
    expect(toXeroInvoice(bad)).toEqual({
      ok: false,
      error: { retryable: false, code: 'validation', message },
    });
  });
});

describe('toInvoiceRef', () => {
  it('reads Xero’s total and tax as our fixed-point strings', () => {
    expect(
      toInvoiceRef(
        xeroModel(Invoice, { invoiceID: 'id-1', invoiceNumber: 'INV-1', total: 58.8, totalTax: 9.8 }),
        'GBP',
      ),
    ).toEqual({ id: 'id-1', number: 'INV-1', total: '58.80', totalTax: '9.80', status: 'UNKNOWN' });
  });
});
