import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startLocalQuickBooks, type LocalQuickBooks } from '../../../test/fakes/quickbooks/index.ts';
import type {
  ErpClient,
  ErpContactInput,
  ErpInvoiceInput,
  ErpInvoiceLine,
  ErpResult,
} from '../../ports/erp-client.ts';
import { createQuickBooksClient, type QuickBooksClientOptions } from './quickbooks-client.ts';
import { findOrCreateContact } from '../../../test/support/erp-contacts.ts';

// Through the real node-quickbooks against the local QuickBooks server.

let qbo: LocalQuickBooks;
let clockMs: number;
let frozen: boolean;

beforeEach(async () => {
  clockMs = Date.parse('2026-11-21T09:00:00Z');
  frozen = false;
  // Each request moves the clock 150 ms on, so ordinary tests stay under 10 requests a second.
  qbo = await startLocalQuickBooks({
    now: () => {
      if (!frozen) clockMs += 150;
      return new Date(clockMs);
    },
  });
});

afterEach(async () => {
  await qbo.stop();
});

function client(overrides: Partial<QuickBooksClientOptions> = {}): ErpClient {
  return createQuickBooksClient({
    session: { tenantId: qbo.realmId, accessToken: () => Promise.resolve(qbo.accessToken) },
    apiUrl: qbo.url,
    timeoutMs: 5_000,
    ...overrides,
  });
}

function contact(overrides: Partial<ErpContactInput> = {}): ErpContactInput {
  return {
    customerKey: 'cus_0042',
    name: 'Acme Ltd',
    email: 'ap@acme.test',
    taxNumber: 'GB123456789',
    addressLines: ['1 High Street', 'London', 'EC1A 1AA', 'GB'],
    currency: 'USD',
    ...overrides,
  };
}

function line(overrides: Partial<ErpInvoiceLine> = {}): ErpInvoiceLine {
  return {
    description: 'Consulting',
    quantity: '2',
    unitAmount: '50.00',
    lineAmount: '100.00',
    discountAmount: '0.00',
    accountCode: '4000',
    itemCode: '1',
    taxType: 'TAX',
    taxAmount: '10.00',
    tracking: { class: '100' },
    ...overrides,
  };
}

function invoice(contactId: string, overrides: Partial<ErpInvoiceInput> = {}): ErpInvoiceInput {
  return {
    number: 'INV-1001',
    contactId,
    currency: 'USD',
    issueDate: '2026-11-01',
    dueDate: '2026-12-01',
    pricesIncludeTax: false,
    lines: [line()],
    total: '110.00',
    totalTax: '10.00',
    ...overrides,
  };
}

function value<T>(result: ErpResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function customerId(erp: ErpClient): Promise<string> {
  return value(await findOrCreateContact(erp, contact())).id;
}

async function rawPost(path: string, body: unknown): Promise<Response> {
  return fetch(`${qbo.url}/v3/company/${qbo.realmId}/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${qbo.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('findOrCreateContacts', () => {
  it('answers each customer of a list once: the known found, the new created', async () => {
    const erp = client();
    const known = value(await findOrCreateContact(erp, contact()));
    const globex = contact({ customerKey: 'cus_0050', name: 'Globex' });

    const answers = await erp.findOrCreateContacts([contact(), globex, globex]);

    expect(answers.size).toBe(2);
    expect(answers.get('cus_0042')).toEqual({ ok: true, value: { id: known.id, created: false } });
    expect(answers.get('cus_0050')).toMatchObject({ ok: true, value: { created: true } });
    expect(qbo.customers().map((customer) => customer.DisplayName)).toEqual(['Acme Ltd', 'Globex']);
  });

  it('creates the customer once and finds it again by its exact DisplayName', async () => {
    const erp = client();
    const first = value(await findOrCreateContact(erp, contact()));
    const second = value(await findOrCreateContact(erp, contact()));

    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const [customer, ...others] = qbo.customers();
    expect(others).toHaveLength(0);
    expect(customer).toMatchObject({
      Id: first.id,
      DisplayName: 'Acme Ltd',
      CurrencyRef: { value: 'USD' },
      PrimaryEmailAddr: { Address: 'ap@acme.test' },
      BillAddr: { Line1: '1 High Street', Line2: 'London' },
    });
    expect(customer?.Notes).toContain('billops customer key: cus_0042');
  });

  it('gives a second billops customer with the same name a keyed DisplayName', async () => {
    const erp = client();
    const acmeUk = value(await findOrCreateContact(erp, contact()));
    const acmeUs = value(await findOrCreateContact(erp, contact({ customerKey: 'cus_0077' })));
    const again = value(await findOrCreateContact(erp, contact({ customerKey: 'cus_0077' })));

    expect(acmeUs.id).not.toBe(acmeUk.id);
    expect(again).toEqual({ id: acmeUs.id, created: false });
    expect(qbo.customers().map((customer) => customer.DisplayName)).toEqual([
      'Acme Ltd',
      'Acme Ltd (cus_0077)',
    ]);
  });

  it('uses a customer finance already had in QuickBooks under the same name', async () => {
    const response = await rawPost('customer', { DisplayName: 'Acme Ltd' });
    const made = (await response.json()) as { Customer: { Id: string } };

    const found = value(await findOrCreateContact(client(), contact()));

    expect(found).toEqual({ id: made.Customer.Id, created: false });
    expect(qbo.customers()).toHaveLength(1);
  });
});

describe('createInvoice', () => {
  it('posts the invoice with our number, lines, class, location and tax code, and QBO totals match ours', async () => {
    const erp = client();
    const id = await customerId(erp);
    const input = invoice(id, {
      lines: [
        line({ tracking: { class: '100', location: '2' } }),
        line({
          description: 'Support plan',
          quantity: '1',
          unitAmount: '20.00',
          lineAmount: '20.00',
          discountAmount: '5.00',
          itemCode: '3',
          taxType: 'NON',
          tracking: { Class: '101', Department: '2' },
        }),
      ],
      total: '125.00',
    });

    const created = value(await erp.createInvoice(input, '5b0e8a4c-0d0b-4c5e-9a49-000000000001'));

    expect(created).toMatchObject({ number: 'INV-1001', total: '125.00', status: 'open' });
    const [stored] = qbo.invoices();
    expect(stored).toMatchObject({
      Id: created.id,
      DocNumber: 'INV-1001',
      CustomerRef: { value: id },
      CurrencyRef: { value: 'USD' },
      TxnDate: '2026-11-01',
      DueDate: '2026-12-01',
      DepartmentRef: { value: '2' },
      GlobalTaxCalculation: 'TaxExcluded',
      TxnTaxDetail: { TotalTax: 10 },
      TotalAmt: 125,
    });
    expect(stored?.Line).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Amount: 100,
          SalesItemLineDetail: expect.objectContaining({
            ItemRef: expect.objectContaining({ value: '1' }) as unknown,
            ClassRef: expect.objectContaining({ value: '100' }) as unknown,
            TaxCodeRef: { value: 'TAX' },
            Qty: 2,
            UnitPrice: 50,
          }) as unknown,
        }),
        expect.objectContaining({ Description: 'Discount: Support plan', Amount: -5 }),
      ]),
    );
  });

  it('sends amounts exactly as written, without float drift', async () => {
    const erp = client();
    const id = await customerId(erp);
    const input = invoice(id, {
      lines: [line({ quantity: '3', unitAmount: '0.1', lineAmount: '0.30', taxType: 'NON' })],
      total: '0.30',
    });

    const created = value(await erp.createInvoice(input, 'key-drift'));

    expect(created.total).toBe('0.30');
    const sent = qbo.invoices()[0]?.Line;
    expect(JSON.stringify(sent)).toContain('"UnitPrice":0.1');
    expect(JSON.stringify(sent)).toContain('"Amount":0.3');
  });

  it('makes one invoice when the same idempotency key is sent twice (QBO requestid)', async () => {
    const erp = client();
    const id = await customerId(erp);

    const first = value(await erp.createInvoice(invoice(id), 'ledger-row-7'));
    const second = value(await erp.createInvoice(invoice(id), 'ledger-row-7'));

    expect(second).toEqual(first);
    expect(qbo.invoices()).toHaveLength(1);
    const creates = qbo.calls().filter((call) => call.resource === 'invoice');
    expect(creates.map((call) => [call.requestId, call.replayed])).toEqual([
      ['ledger-row-7', false],
      ['ledger-row-7', true],
    ]);
  });

  it('refuses a second invoice with the same number as duplicate_number', async () => {
    const erp = client();
    const id = await customerId(erp);
    value(await erp.createInvoice(invoice(id), 'key-a'));

    const again = await erp.createInvoice(invoice(id), 'key-b');

    expect(again).toEqual({
      ok: false,
      error: {
        retryable: false,
        code: 'duplicate_number',
        message: 'QuickBooks already has invoice INV-1001, so billops did not create it again.',
      },
    });
    expect(qbo.invoices()).toHaveLength(1);
  });

  it('names the unknown item when QuickBooks does not recognise it', async () => {
    const erp = client();
    const id = await customerId(erp);

    const result = await erp.createInvoice(invoice(id, { lines: [line({ itemCode: '999' })] }), 'key-item');

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ retryable: false, code: 'invalid_reference' });
    expect(result.error.message).toContain('Line[0].ItemRef');
    expect(result.error.message).toContain('Id=999');
  });

  it('refuses tracking QuickBooks has no place for, before sending QuickBooks the invoice', async () => {
    const erp = client();
    const id = await customerId(erp);
    const callsBefore = qbo.calls().length;

    const result = await erp.createInvoice(
      invoice(id, { lines: [line({ tracking: { Region: 'North' } })] }),
      'k',
    );

    expect(result).toMatchObject({ ok: false, error: { code: 'validation', retryable: false } });
    // NOTE: only the company's tax settings were read (whether it is on automated sales tax).
    expect(
      qbo
        .calls()
        .slice(callsBefore)
        .map((call) => call.resource),
    ).toEqual(['preferences']);
  });

  it('reports a QuickBooks rate limit as rate_limited with the wait it asked for', async () => {
    const erp = client();
    const id = await customerId(erp);
    frozen = true;
    for (let index = 0; index < 10; index += 1) {
      await fetch(`${qbo.url}/v3/company/${qbo.realmId}/query?query=select * from Item`, {
        headers: { authorization: `Bearer ${qbo.accessToken}` },
      });
    }

    const result = await erp.createInvoice(invoice(id), 'key-throttled');

    expect(result).toMatchObject({
      ok: false,
      error: { retryable: true, code: 'rate_limited', retryAfterSeconds: 1 },
    });
    expect(qbo.invoices()).toHaveLength(0);
  });

  it('reports a timeout after QuickBooks committed as uncertain; the retry finds exactly one invoice', async () => {
    const erp = client({ timeoutMs: 300 });
    const id = await customerId(erp);
    qbo.failNext({ kind: 'timeout_after_commit' }, { resource: 'invoice' });

    const lost = await erp.createInvoice(invoice(id), 'key-timeout');

    expect(lost).toMatchObject({ ok: false, error: { retryable: true, code: 'timeout', uncertain: true } });
    const found = value(await erp.findInvoiceByNumber('INV-1001'));
    expect(found).toMatchObject({ number: 'INV-1001', total: '110.00' });
    const retried = value(await erp.createInvoice(invoice(id), 'key-timeout'));
    expect(retried.id).toBe(found?.id);
    expect(qbo.invoices()).toHaveLength(1);
  });

  it('reports a cut connection after commit as uncertain', async () => {
    const erp = client();
    const id = await customerId(erp);
    qbo.failNext({ kind: 'reset_after_commit' }, { resource: 'invoice' });

    const lost = await erp.createInvoice(invoice(id), 'key-reset');

    expect(lost).toMatchObject({
      ok: false,
      error: { retryable: true, code: 'connection_reset', uncertain: true },
    });
    expect(qbo.invoices()).toHaveLength(1);
  });

  it('reports a 5xx as a retryable, uncertain server_error', async () => {
    const erp = client();
    const id = await customerId(erp);
    qbo.failNext({ kind: 'status', status: 503 }, { resource: 'invoice' });

    const result = await erp.createInvoice(invoice(id), 'key-503');

    expect(result).toMatchObject({
      ok: false,
      error: { retryable: true, code: 'server_error', uncertain: true },
    });
    expect(qbo.invoices()).toHaveLength(0);
  });

  it('reports a refused token as unauthorized', async () => {
    const erp = client({ session: { tenantId: qbo.realmId, accessToken: () => Promise.resolve('expired') } });

    const result = await erp.findInvoiceByNumber('INV-1001');

    expect(result).toMatchObject({ ok: false, error: { retryable: false, code: 'unauthorized' } });
  });
});

describe('a US company on automated sales tax', () => {
  it('is sent our tax as TxnTaxDetail.TotalTax and no GlobalTaxCalculation, so it holds the tax on the PDF', async () => {
    await qbo.stop();
    qbo = await startLocalQuickBooks({ catalog: { automatedSalesTax: { ratePercent: '8.875' } } });
    const erp = client();

    const created = value(await erp.createInvoice(invoice(await customerId(erp)), 'key-ast'));

    expect(created).toMatchObject({ total: '110.00', totalTax: '10.00' });
    expect(qbo.invoices()[0]).toMatchObject({ TxnTaxDetail: { TotalTax: 10 }, TotalAmt: 110 });
    expect(qbo.calls().filter((call) => call.resource === 'preferences')).toHaveLength(1);
  });

  it('refuses an invoice whose prices include tax, before calling QuickBooks to create it', async () => {
    await qbo.stop();
    qbo = await startLocalQuickBooks({ catalog: { automatedSalesTax: { ratePercent: '8.875' } } });
    const erp = client();

    const result = await erp.createInvoice(
      invoice(await customerId(erp), { pricesIncludeTax: true }),
      'key-ast-inclusive',
    );

    expect(result).toMatchObject({ ok: false, error: { retryable: false } });
    expect(result.ok ? '' : result.error.message).toContain('automated sales tax');
    expect(qbo.invoices()).toHaveLength(0);
  });
});

describe('findInvoiceByNumber', () => {
  it('finds an invoice by DocNumber, and null when there is none', async () => {
    const erp = client();
    const id = await customerId(erp);
    expect(value(await erp.findInvoiceByNumber('INV-1001'))).toBeNull();
    const created = value(await erp.createInvoice(invoice(id), 'key-find'));

    expect(value(await erp.findInvoiceByNumber('INV-1001'))).toEqual(created);
    expect(value(await erp.findInvoiceByNumber("INV-'1001"))).toBeNull();
  });
});

describe('createInvoices', () => {
  it('creates the valid invoices of a batch and fails the invalid one alone, in order', async () => {
    const erp = client();
    const id = await customerId(erp);
    const inputs = [
      { input: invoice(id, { number: 'INV-2001' }), idempotencyKey: 'k1' },
      {
        input: invoice(id, { number: 'INV-2002', lines: [line({ itemCode: '999' })] }),
        idempotencyKey: 'k2',
      },
      { input: invoice(id, { number: 'INV-2003' }), idempotencyKey: 'k3' },
    ];

    const results = await erp.createInvoices(inputs);

    expect(results.map((result) => (result.ok ? result.value.number : result.error.code))).toEqual([
      'INV-2001',
      'invalid_reference',
      'INV-2003',
    ]);
    expect(qbo.invoices().map((stored) => stored.DocNumber)).toEqual(['INV-2001', 'INV-2003']);
    expect(qbo.calls().filter((call) => call.resource === 'batch')).toHaveLength(1);
  });

  it('reports invoices already in QuickBooks instead of creating them again', async () => {
    const erp = client();
    const id = await customerId(erp);
    const first = value(await erp.createInvoice(invoice(id, { number: 'INV-3001' }), 'k1'));

    const results = await erp.createInvoices([
      { input: invoice(id, { number: 'INV-3001' }), idempotencyKey: 'k1' },
      { input: invoice(id, { number: 'INV-3002' }), idempotencyKey: 'k2' },
    ]);

    expect(results[0]).toEqual({ ok: true, value: first });
    expect(results[1]).toMatchObject({ ok: true, value: { number: 'INV-3002' } });
    expect(qbo.invoices()).toHaveLength(2);
  });

  it('splits more than 30 invoices into batches of 30', async () => {
    const erp = client();
    const id = await customerId(erp);
    const inputs = Array.from({ length: 35 }, (_, index) => ({
      input: invoice(id, { number: `INV-${4000 + index}` }),
      idempotencyKey: `k${index}`,
    }));

    const results = await erp.createInvoices(inputs);

    expect(results.every((result) => result.ok)).toBe(true);
    expect(qbo.invoices()).toHaveLength(35);
    expect(qbo.calls().filter((call) => call.resource === 'batch')).toHaveLength(2);
  });

  it('marks every invoice of a batch whose answer was lost as uncertain', async () => {
    const erp = client({ timeoutMs: 300 });
    const id = await customerId(erp);
    qbo.failNext({ kind: 'timeout_after_commit' }, { resource: 'batch' });

    const results = await erp.createInvoices([
      { input: invoice(id, { number: 'INV-5001' }), idempotencyKey: 'k1' },
      { input: invoice(id, { number: 'INV-5002' }), idempotencyKey: 'k2' },
    ]);

    expect(results.map((result) => !result.ok && result.error.uncertain)).toEqual([true, true]);
    const retry = await client().createInvoices([
      { input: invoice(id, { number: 'INV-5001' }), idempotencyKey: 'k1' },
      { input: invoice(id, { number: 'INV-5002' }), idempotencyKey: 'k2' },
    ]);
    expect(retry.every((result) => result.ok)).toBe(true);
    expect(qbo.invoices()).toHaveLength(2);
  });
});

describe('attachPdf', () => {
  it('attaches the PDF to the invoice once, however often it is asked', async () => {
    const erp = client();
    const id = await customerId(erp);
    const created = value(await erp.createInvoice(invoice(id), 'key-pdf'));
    const pdf = Buffer.from('%PDF-1.7\n% billops test invoice\n%%EOF\n');

    const first = value(await erp.attachPdf(created.id, 'INV-1001.pdf', pdf, 'pdf-key'));
    const second = value(await erp.attachPdf(created.id, 'INV-1001.pdf', pdf, 'pdf-key'));

    expect(second).toEqual(first);
    const [attachment, ...others] = qbo.attachments();
    expect(others).toHaveLength(0);
    expect(attachment).toMatchObject({
      id: first.id,
      fileName: 'INV-1001.pdf',
      contentType: 'application/pdf',
      entityRefs: [{ type: 'Invoice', value: created.id }],
    });
    expect(attachment?.bytes.equals(pdf)).toBe(true);
  });

  it('refuses to attach to an invoice QuickBooks does not have', async () => {
    const result = await client().attachPdf('424242', 'INV-1.pdf', Buffer.from('%PDF-1.7'), 'k');

    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_reference', retryable: false } });
  });
});

describe('voidInvoice', () => {
  it('voids an unpaid invoice (POST invoice?operation=void): Balance 0, PrivateNote Voided; again is a no-op', async () => {
    const erp = client();
    const created = value(await erp.createInvoice(invoice(await customerId(erp)), 'key-void-1'));

    expect(value(await erp.voidInvoice(created.id))).toEqual({ id: created.id, alreadyVoid: false });
    const [stored] = qbo.invoices().filter((entity) => entity.Id === created.id);
    expect(stored).toMatchObject({ Balance: 0, TotalAmt: 0, PrivateNote: 'Voided', SyncToken: '1' });

    expect(value(await erp.voidInvoice(created.id))).toEqual({ id: created.id, alreadyVoid: true });
  });

  it('refuses to void an invoice with a payment, and leaves it as it was', async () => {
    const erp = client();
    const created = value(await erp.createInvoice(invoice(await customerId(erp)), 'key-void-2'));
    qbo.addPayment('INV-1001', '10.00', '2026-11-20');

    const result = await erp.voidInvoice(created.id);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ code: 'has_payments', retryable: false });
    const [stored] = qbo.invoices().filter((entity) => entity.Id === created.id);
    expect(stored).toMatchObject({ Balance: 100, TotalAmt: 110 });
    expect(stored?.PrivateNote).toBeUndefined();
  });

  it('the local server itself refuses a void with a stale SyncToken or a payment linked', async () => {
    const erp = client();
    const created = value(await erp.createInvoice(invoice(await customerId(erp)), 'key-void-3'));
    const stale = await rawPost('invoice?operation=void', { Id: created.id, SyncToken: '7' });
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain('Stale Object Error');

    qbo.addPayment('INV-1001', '10.00', '2026-11-20');
    const [stored] = qbo.invoices().filter((entity) => entity.Id === created.id);
    const paid = await rawPost('invoice?operation=void', { Id: created.id, SyncToken: stored?.SyncToken });
    expect(paid.status).toBe(400);
    expect(await paid.text()).toContain('payments applied');
  });
});
