import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalQuickBooks, type LocalQuickBooks } from '../../test/fakes/quickbooks/index.ts';
import { startLocalXero, type LocalXero } from '../local/xero/index.ts';
import type { ErpClient, ErpContactInput, ErpInvoiceInput, ErpResult } from '../ports/erp-client.ts';
import { createQuickBooksClient } from './quickbooks/index.ts';
import { createXeroClient } from './xero/index.ts';
import { Decimal } from '../money/decimal.ts';
import { findOrCreateContact } from '../../test/support/erp-contacts.ts';

// ErpClient.getInvoicePayments through the real SDKs: payments entered in the local Xero and QuickBooks
// (as a person would there) come back in each vendor's wire format and are read into billops' terms.

function value<T>(result: ErpResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function contact(currency: string): ErpContactInput {
  return {
    customerKey: `cus_${currency}`,
    name: `Acme ${currency}`,
    email: 'ap@acme.test',
    taxNumber: undefined,
    addressLines: [],
    currency,
  };
}

/** A £100 line under `taxType`, whose rate (Xero OUTPUT2 20%, QuickBooks TAX 10%) gives the tax. */
function invoice(
  number: string,
  contactId: string,
  currency: string,
  taxType: 'OUTPUT2' | 'TAX',
  itemCode?: string,
): ErpInvoiceInput {
  const tax = taxType === 'OUTPUT2' ? '20.00' : '10.00';
  return {
    number,
    contactId,
    currency,
    issueDate: '2026-11-03',
    dueDate: '2026-12-03',
    pricesIncludeTax: false,
    lines: [
      {
        description: 'Starter platform fee',
        quantity: '1',
        unitAmount: '100.00',
        lineAmount: '100.00',
        discountAmount: '0.00',
        accountCode: '200',
        itemCode,
        taxType,
        taxAmount: tax,
        tracking: {},
      },
    ],
    total: new Decimal('100.00').plus(tax).toFixed(2),
    totalTax: tax,
  };
}

describe('getInvoicePayments with Xero', () => {
  let xero: LocalXero;
  let client: ErpClient;
  let invoiceId: string;

  beforeAll(async () => {
    xero = await startLocalXero();
    client = createXeroClient({
      session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve(xero.accessToken) },
      apiUrl: xero.apiUrl,
      timeoutMs: 2_000,
    });
    const contactId = value(await findOrCreateContact(client, contact('GBP'))).id;
    // NOTE: Xero's OUTPUT2 is 20%: a £100 line makes a £120 invoice.
    invoiceId = value(
      await client.createInvoice(invoice('INV-2026-00012', contactId, 'GBP', 'OUTPUT2'), 'k1'),
    ).id;
  });
  afterAll(async () => {
    await xero.stop();
  });

  it('finds no payments on a new invoice', async () => {
    expect(await client.getInvoicePayments(invoiceId)).toEqual({ ok: true, value: [] });
  });

  it('reads a part payment, then the payment that settles the invoice, each with its id and date', async () => {
    const first = xero.addPayment('INV-2026-00012', '40.00', '2026-11-20');
    expect(value(await client.getInvoicePayments(invoiceId))).toEqual([
      { id: first, amount: '40.00', date: '2026-11-20' },
    ]);
    const second = xero.addPayment('INV-2026-00012', '80', '2026-11-21');
    expect(value(await client.getInvoicePayments(invoiceId))).toEqual([
      { id: first, amount: '40.00', date: '2026-11-20' },
      { id: second, amount: '80.00', date: '2026-11-21' },
    ]);
    expect(xero.invoices()[0]).toMatchObject({ status: 'PAID' });
  });

  it('answers in Xero’s wire format: Payments on the invoice, MS dates, AmountPaid and AmountDue', async () => {
    const response = await fetch(`${xero.apiUrl}/Invoices/${invoiceId}`, {
      headers: { authorization: `Bearer ${xero.accessToken}`, 'xero-tenant-id': xero.tenantId },
    });
    const body = (await response.json()) as { Invoices: Record<string, unknown>[] };
    expect(body.Invoices[0]).toMatchObject({
      Status: 'PAID',
      Total: 120,
      AmountPaid: 120,
      AmountDue: 0,
      FullyPaidOnDate: `/Date(${Date.parse('2026-11-21T00:00:00Z')}+0000)/`,
      Payments: [
        { Amount: 40, Date: `/Date(${Date.parse('2026-11-20T00:00:00Z')}+0000)/` },
        { Amount: 80, Date: `/Date(${Date.parse('2026-11-21T00:00:00Z')}+0000)/` },
      ],
    });
  });

  it('refuses, as Xero does, a payment on a paid invoice and on a number it does not have', () => {
    expect(() => xero.addPayment('INV-2026-00012', '0.01', '2026-11-22')).toThrow(/Authorised/);
    expect(() => xero.addPayment('INV-2026-99999', '1', '2026-11-22')).toThrow(/does not exist/);
  });

  it('refuses a payment over the amount due, and says so when the invoice id is unknown', async () => {
    const contactId = value(await findOrCreateContact(client, contact('GBP'))).id;
    value(await client.createInvoice(invoice('INV-2026-00013', contactId, 'GBP', 'OUTPUT2'), 'k2'));
    expect(() => xero.addPayment('INV-2026-00013', '120.01', '2026-11-22')).toThrow(
      /exceeds the amount outstanding/,
    );
    const missing = await client.getInvoicePayments('00000000-0000-4000-8000-000000000000');
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', retryable: false } });
  });
});

describe('getInvoicePayments with QuickBooks Online', () => {
  let qbo: LocalQuickBooks;
  let client: ErpClient;
  let clockMs = Date.parse('2026-11-21T09:00:00Z');
  let first: string;
  let second: string;

  beforeAll(async () => {
    // Each request moves the clock on, so the test stays under QBO's 10 requests a second.
    qbo = await startLocalQuickBooks({
      now: () => {
        clockMs += 150;
        return new Date(clockMs);
      },
    });
    client = createQuickBooksClient({
      session: { tenantId: qbo.realmId, accessToken: () => Promise.resolve(qbo.accessToken) },
      apiUrl: qbo.url,
      timeoutMs: 5_000,
    });
    const customerId = value(await findOrCreateContact(client, contact('USD'))).id;
    // NOTE: the local QuickBooks' TAX code is 10%: a $100 line makes a $110 invoice.
    first = value(
      await client.createInvoice(invoice('INV-2026-00021', customerId, 'USD', 'TAX', '1'), 'q1'),
    ).id;
    second = value(
      await client.createInvoice(invoice('INV-2026-00022', customerId, 'USD', 'TAX', '1'), 'q2'),
    ).id;
  });
  afterAll(async () => {
    await qbo.stop();
  });

  it('finds no payments on a new invoice', async () => {
    expect(await client.getInvoicePayments(first)).toEqual({ ok: true, value: [] });
  });

  it('reads each invoice’s share of a payment that settles two, and a later part payment', async () => {
    const both = qbo.addPayment('INV-2026-00021', '10.00', '2026-11-19', {
      alsoPays: [{ invoiceNumber: 'INV-2026-00022', amount: '110' }],
    });
    const later = qbo.addPayment('INV-2026-00021', '25.50', '2026-11-20');

    expect(value(await client.getInvoicePayments(first))).toEqual([
      { id: both, amount: '10.00', date: '2026-11-19' },
      { id: later, amount: '25.50', date: '2026-11-20' },
    ]);
    expect(value(await client.getInvoicePayments(second))).toEqual([
      { id: both, amount: '110.00', date: '2026-11-19' },
    ]);
  });

  it('keeps QBO’s wire format: the invoice links its payments and carries its Balance', () => {
    const stored = qbo.invoices().find((entity) => entity.DocNumber === 'INV-2026-00021');
    expect(stored).toMatchObject({
      TotalAmt: 110,
      Balance: 74.5,
      LinkedTxn: [
        { TxnId: expect.any(String) as string, TxnType: 'Payment' },
        { TxnId: expect.any(String) as string, TxnType: 'Payment' },
      ],
    });
    expect(qbo.payments()[0]).toMatchObject({
      TotalAmt: 120,
      Line: [
        { Amount: 10, LinkedTxn: [{ TxnId: first, TxnType: 'Invoice' }] },
        { Amount: 110, LinkedTxn: [{ TxnId: second, TxnType: 'Invoice' }] },
      ],
    });
    expect(() => qbo.addPayment('INV-2026-00022', '0.01', '2026-11-21')).toThrow(/balance/);
  });

  it('says the invoice was not found for an unknown id', async () => {
    expect(await client.getInvoicePayments('999')).toMatchObject({
      ok: false,
      error: { code: 'not_found', retryable: false },
    });
  });
});
