// Invoice documents for the renderer's tests and benchmark: plausible figures, nothing from a database.
import { Decimal } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import { priceInvoice } from '../pricing/price-invoice.ts';
import type { ChargeInput, PriceModel } from '../pricing/types.ts';
import type { InvoiceDocument, InvoiceDocumentLine } from './invoice-document.ts';

/** A one-page UK invoice with a reverse-charge line; override any field. */
export function sampleInvoiceDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    number: 'INV-2026-0042',
    issueDate: '2026-11-01',
    dueDate: '2026-12-01',
    periodLabel: '1 Oct – 31 Oct 2026',
    currency: 'GBP',
    pricesIncludeTax: false,
    seller: {
      name: 'Northwind Analytics Ltd',
      addressLines: ['12 Harbour Street', 'Leith, Edinburgh EH6 6LA', 'United Kingdom'],
      taxId: 'GB123456789',
      email: 'billing@northwind.example',
      phone: '+44 131 555 0100',
    },
    branding: {
      logoPath: undefined,
      color: '#1d3557',
      footer: 'Northwind Analytics Ltd · Registered in Scotland SC123456',
    },
    customer: {
      name: 'Contoso GmbH',
      addressLines: ['Friedrichstraße 123', '10117 Berlin', 'Germany'],
      taxId: 'DE987654321',
    },
    lines: [
      sampleLine({
        description: 'Platform subscription (Team plan)',
        quantity: '1',
        unitAmount: '1200.00',
        amount: '1200.00',
        taxAmount: '240.00',
      }),
      sampleLine({
        description: 'API calls',
        periodLabel: '2026-10-15 – 2026-10-31',
        quantity: '1250000',
        unitAmount: '0.0004',
        amount: '500.00',
        taxAmount: '100.00',
      }),
      sampleLine({
        description: 'Data export for EU subsidiary',
        quantity: '3',
        unitAmount: '100.00',
        amount: '300.00',
        taxRate: '0',
        taxAmount: '0.00',
      }),
    ],
    taxBreakdown: [
      { label: 'VAT 20%', net: '1700.00', tax: '340.00' },
      { label: 'Reverse charge', net: '300.00', tax: '0.00' },
    ],
    subtotal: '2000.00',
    discount: '0.00',
    tax: '340.00',
    total: '2340.00',
    notes: [
      'Reverse charge: the customer accounts for VAT under Article 196 of Council Directive 2006/112/EC.',
    ],
    payment: {
      bankLines: [
        'Bank: Royal Bank of Scotland',
        'Sort code 83-06-08 · Account 12345678',
        'IBAN GB33 RBOS 8306 0812 3456 78',
      ],
      payLink: 'https://pay.northwind.example/i/INV-2026-0042',
    },
    finalizedAt: new Date('2026-11-01T09:30:00Z'),
    ...overrides,
  };
}

/** One line with a 20% tax and no discount unless overridden. */
export function sampleLine(overrides: Partial<InvoiceDocumentLine> = {}): InvoiceDocumentLine {
  return {
    description: 'Consulting',
    periodLabel: undefined,
    quantity: '1',
    unitAmount: '100.00',
    amount: '100.00',
    discountAmount: '0.00',
    taxRate: '20',
    taxAmount: '20.00',
    ...overrides,
  };
}

/** A line as the loader builds it from what the pricing engine made of one charge, at 20% VAT. */
export function samplePricedLine(
  model: PriceModel,
  quantity: string,
  extra: Partial<ChargeInput> = {},
  currency = 'GBP',
): InvoiceDocumentLine {
  const priced = priceInvoice({
    currency,
    pricesIncludeTax: false,
    charges: [
      {
        key: 'line',
        description: 'Usage',
        model,
        quantity: new Decimal(quantity),
        tax: { kind: 'standard', rate: new Decimal(20), label: 'VAT 20%' },
        ...extra,
      },
    ],
  });
  const [line] = priced.lines;
  if (line === undefined) throw new Error('nothing priced');
  return {
    description: line.description,
    periodLabel: undefined,
    quantity: line.quantity.toFixed(),
    unitAmount: line.unitAmount.toFixed(),
    amount: toMoneyString(line.amount, currency),
    discountAmount: toMoneyString(line.discountAmount, currency),
    taxRate: line.taxRate.toFixed(),
    taxAmount: toMoneyString(line.taxAmount, currency),
    working: line.working,
  };
}

/** `count` numbered lines that add up to the returned totals, for multi-page invoices. */
export function sampleInvoiceWithLines(
  count: number,
  overrides: Partial<InvoiceDocument> = {},
): InvoiceDocument {
  const lines = Array.from({ length: count }, (_, index) =>
    sampleLine({
      description: `Usage item ${String(index + 1).padStart(3, '0')}: compute hours, region eu-west-${(index % 3) + 1}`,
      periodLabel: index % 4 === 0 ? '2026-10-01 – 2026-10-15' : undefined,
      quantity: '2',
      unitAmount: '50.00',
      amount: '100.00',
      taxAmount: '20.00',
    }),
  );
  return sampleInvoiceDocument({
    lines,
    taxBreakdown: [{ label: 'VAT 20%', net: `${count * 100}.00`, tax: `${count * 20}.00` }],
    subtotal: `${count * 100}.00`,
    tax: `${count * 20}.00`,
    total: `${count * 120}.00`,
    notes: [],
    ...overrides,
  });
}

/** A 4×2 red PNG, to stand in for a logo. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAYAAAB/qH1jAAAAEklEQVR4nGM4IWfzHxkzoAsAAB6tEQk6KlW3AAAAAElFTkSuQmCC',
  'base64',
);
