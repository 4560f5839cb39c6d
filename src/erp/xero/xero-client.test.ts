import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AccountingApi, Contact, Contacts, Invoice, Invoices } from 'xero-node';

import { startLocalXero, type LocalXero } from '../../local/xero/index.ts';
import type { ErpClient, ErpContactInput, ErpInvoiceInput, ErpInvoiceLine } from '../../ports/erp-client.ts';
import { findOrCreateContact } from '../../../test/support/erp-contacts.ts';
import { createXeroClient } from './xero-client.ts';
import { xeroModel } from './xero-models.ts';
import { Decimal } from '../../money/decimal.ts';

/** A line; its tax, unless given, is OUTPUT2's 20% on top of the amount after discount. */
function line(overrides: Partial<ErpInvoiceLine> = {}): ErpInvoiceLine {
  const amounts = { lineAmount: '49.00', discountAmount: '0.00', ...overrides };
  return {
    description: 'Starter platform fee',
    quantity: '1',
    unitAmount: '49.00',
    accountCode: '200',
    itemCode: undefined,
    taxType: 'OUTPUT2',
    tracking: {},
    taxAmount: new Decimal(amounts.lineAmount).minus(amounts.discountAmount).times('0.2').toFixed(2),
    ...amounts,
    ...overrides,
  };
}

function invoice(
  number: string,
  contactId: string,
  overrides: Partial<ErpInvoiceInput> = {},
): ErpInvoiceInput {
  return {
    number,
    contactId,
    currency: 'GBP',
    issueDate: '2026-11-30',
    dueDate: '2026-12-30',
    pricesIncludeTax: false,
    lines: [line()],
    total: '58.80',
    totalTax: '9.80',
    ...overrides,
  };
}

const acme: ErpContactInput = {
  customerKey: 'CUST-0001',
  name: 'Acme Widgets Ltd',
  email: 'ap@acme.test',
  taxNumber: 'GB123456789',
  addressLines: ['1 High Street', 'London', 'EC1A 1AA'],
  currency: 'GBP',
};

describe('createXeroClient against the local Xero', () => {
  let xero: LocalXero;
  let client: ErpClient;

  beforeEach(async () => {
    xero = await startLocalXero();
    client = createXeroClient({
      session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve(xero.accessToken) },
      apiUrl: xero.apiUrl,
      timeoutMs: 1_000,
    });
  });

  afterEach(async () => {
    await xero.stop();
  });

  async function contactId(input: ErpContactInput = acme): Promise<string> {
    const result = await findOrCreateContact(client, input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value.id;
  }

  it('creates the contact once and reuses it for the next invoice of the same customer', async () => {
    const first = await findOrCreateContact(client, acme);
    const second = await findOrCreateContact(client, acme);

    expect(first).toMatchObject({ ok: true, value: { created: true } });
    expect(second).toMatchObject({ ok: true, value: { created: false } });
    expect(first.ok && second.ok && first.value.id === second.value.id).toBe(true);
    expect(xero.contacts()).toEqual([
      expect.objectContaining({
        name: 'Acme Widgets Ltd',
        contactNumber: 'CUST-0001',
        emailAddress: 'ap@acme.test',
        taxNumber: 'GB123456789',
        defaultCurrency: 'GBP',
      }),
    ]);

    const id = await contactId();
    expect((await client.createInvoice(invoice('INV-0001', id), 'k-1')).ok).toBe(true);
    expect((await client.createInvoice(invoice('INV-0002', await contactId()), 'k-2')).ok).toBe(true);
    expect(xero.contacts()).toHaveLength(1);
    expect(new Set(xero.invoices().map((stored) => stored.contactId))).toEqual(new Set([id]));
  });

  it('creates an approved invoice with our number, and Xero’s total matches ours', async () => {
    const created = await client.createInvoice(
      invoice('INV-0100', await contactId(), {
        lines: [
          line(),
          line({
            description: 'API calls',
            quantity: '125000',
            unitAmount: '0.002',
            lineAmount: '250.00',
            discountAmount: '25.00',
            tracking: { Region: 'EU' },
          }),
        ],
        total: '328.80',
      }),
      'k-100',
    );

    const [stored] = xero.invoices();
    expect(created).toEqual({
      ok: true,
      value: {
        id: stored?.invoiceId,
        number: 'INV-0100',
        total: '328.80',
        totalTax: '54.80',
        status: 'AUTHORISED',
      },
    });
    expect(stored).toMatchObject({
      type: 'ACCREC',
      status: 'AUTHORISED',
      invoiceNumber: 'INV-0100',
      currencyCode: 'GBP',
      date: '2026-11-30',
      dueDate: '2026-12-30',
      lineAmountTypes: 'Exclusive',
      subTotal: '274.00',
      totalTax: '54.80',
      total: '328.80',
    });
    expect(stored?.lineItems[1]).toMatchObject({
      quantity: '125000',
      unitAmount: '0.002',
      discountAmount: '25.00',
      lineAmount: '225.00',
      taxAmount: '45.00',
      tracking: [{ name: 'Region', option: 'EU' }],
    });
  });

  it('sends prices that include tax as Inclusive, and Xero backs the tax out the same way', async () => {
    const created = await client.createInvoice(
      invoice('INV-0101', await contactId(), {
        pricesIncludeTax: true,
        lines: [line({ unitAmount: '99.00', lineAmount: '99.00', taxAmount: '16.50' })],
        total: '99.00',
      }),
      'k-101',
    );
    expect(created).toMatchObject({ ok: true, value: { total: '99.00' } });
    expect(xero.invoices()[0]).toMatchObject({
      lineAmountTypes: 'Inclusive',
      totalTax: '16.50',
      subTotal: '82.50',
    });
  });

  it('sends a unit price finer than Xero’s 4 decimals as one line of the exact amount', async () => {
    const created = await client.createInvoice(
      invoice('INV-0102', await contactId(), {
        currency: 'USD',
        lines: [
          line({
            description: 'API requests',
            quantity: '123457',
            unitAmount: '0.00045',
            lineAmount: '55.56',
            accountCode: '4000',
            taxType: undefined,
            taxAmount: '0.00',
          }),
        ],
        total: '55.56',
      }),
      'k-102',
    );
    expect(created).toMatchObject({ ok: true, value: { total: '55.56' } });
    expect(xero.invoices()[0]?.lineItems[0]).toMatchObject({
      description: 'API requests (123457 × 0.00045)',
      quantity: '1',
      unitAmount: '55.56',
      lineAmount: '55.56',
      taxType: 'NONE',
    });
  });

  it('creates one invoice when the same idempotency key is sent twice', async () => {
    const id = await contactId();
    const first = await client.createInvoice(invoice('INV-0200', id), 'ledger-row-200');
    const again = await client.createInvoice(invoice('INV-0200', id), 'ledger-row-200');

    expect(first.ok && again.ok && again.value.id === first.value.id).toBe(true);
    expect(xero.invoices()).toHaveLength(1);
    expect(xero.calls().filter((call) => call.replayed)).toHaveLength(1);
  });

  it('refuses a second invoice with a number Xero already holds', async () => {
    const id = await contactId();
    await client.createInvoice(invoice('INV-0201', id), 'key-a');
    const duplicate = await client.createInvoice(invoice('INV-0201', id), 'key-b');

    expect(duplicate).toEqual({
      ok: false,
      error: {
        retryable: false,
        code: 'duplicate_number',
        message: 'Xero rejected invoice INV-0201: Invoice # must be unique.',
      },
    });
    expect(xero.invoices()).toHaveLength(1);
  });

  it('finds an invoice by its number, and answers null for a number Xero does not hold', async () => {
    const created = await client.createInvoice(invoice('INV-0300', await contactId()), 'k-300');
    const found = await client.findInvoiceByNumber('INV-0300');
    const missing = await client.findInvoiceByNumber('INV-9999');

    expect(created.ok && found.ok && found.value?.id === created.value.id).toBe(true);
    expect(found).toMatchObject({
      ok: true,
      value: { number: 'INV-0300', total: '58.80', status: 'AUTHORISED' },
    });
    expect(missing).toEqual({ ok: true, value: null });
  });

  it('creates a batch of 50 where 3 are invalid: 47 invoices, and the 3 errors say why', async () => {
    const id = await contactId();
    const bad = new Set([4, 17, 33]);
    const inputs = Array.from({ length: 50 }, (_, index) => ({
      input: invoice(`INV-1${String(index).padStart(3, '0')}`, id, {
        lines: [line(bad.has(index) ? { accountCode: '999' } : {})],
      }),
      idempotencyKey: `batch-row-${index}`,
    }));

    const results = await client.createInvoices(inputs);

    expect(results).toHaveLength(50);
    expect(results.filter((result) => result.ok)).toHaveLength(47);
    expect(xero.invoices()).toHaveLength(47);
    expect(
      xero.calls().filter((call) => call.method === 'PUT' && call.path.startsWith('/api.xro/2.0/Invoices')),
    ).toHaveLength(1);
    for (const index of bad) {
      expect(results[index]).toEqual({
        ok: false,
        error: {
          retryable: false,
          code: 'validation',
          message: `Xero rejected invoice INV-1${String(index).padStart(3, '0')}: Account code '999' is not a valid code for this document.`,
        },
      });
    }
    expect(results[5]).toMatchObject({ ok: true, value: { number: 'INV-1005', total: '58.80' } });
  });

  it('sends more than 50 invoices in batches of 50', async () => {
    const id = await contactId();
    const inputs = Array.from({ length: 120 }, (_, index) => ({
      input: invoice(`INV-2${String(index).padStart(3, '0')}`, id),
      idempotencyKey: `row-${index}`,
    }));
    const results = await client.createInvoices(inputs);
    expect(results.every((result) => result.ok)).toBe(true);
    const invoicePuts = xero
      .calls()
      .filter((call) => call.method === 'PUT' && call.path.includes('/Invoices'));
    expect(invoicePuts).toHaveLength(3);
  });

  it('reports Xero’s rate limit with how long to wait', async () => {
    for (let call = 0; call < 60; call += 1) await client.findInvoiceByNumber('INV-0001');
    const limited = await client.findInvoiceByNumber('INV-0001');

    expect(limited.ok).toBe(false);
    if (limited.ok) return;
    expect(limited.error).toMatchObject({ retryable: true, code: 'rate_limited' });
    expect(limited.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('reports an exhausted daily limit as daily_limit', async () => {
    await xero.stop();
    xero = await startLocalXero({ limits: { perDay: 2 } });
    client = createXeroClient({
      session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve(xero.accessToken) },
      apiUrl: xero.apiUrl,
    });
    await client.findInvoiceByNumber('INV-1');
    await client.findInvoiceByNumber('INV-1');
    const limited = await client.findInvoiceByNumber('INV-1');
    expect(limited).toMatchObject({ ok: false, error: { code: 'daily_limit', retryable: true } });
    expect(limited.ok ? 0 : limited.error.retryAfterSeconds).toBeGreaterThan(23 * 3600);
  });

  it('reports a timeout after Xero saved the invoice as uncertain; the invoice is then found, once', async () => {
    const id = await contactId();
    xero.failNext({ kind: 'timeout_after_commit' }, { method: 'PUT', resource: 'Invoices' });

    const lost = await client.createInvoice(invoice('INV-0400', id), 'k-400');

    expect(lost).toMatchObject({ ok: false, error: { code: 'timeout', retryable: true, uncertain: true } });
    const found = await client.findInvoiceByNumber('INV-0400');
    expect(found).toMatchObject({ ok: true, value: { number: 'INV-0400', total: '58.80' } });
    expect(xero.invoices().filter((stored) => stored.invoiceNumber === 'INV-0400')).toHaveLength(1);
  });

  it('reports a connection reset after the write as uncertain', async () => {
    const id = await contactId();
    xero.failNext({ kind: 'reset_after_commit' }, { method: 'PUT' });
    const lost = await client.createInvoice(invoice('INV-0401', id), 'k-401');
    expect(lost).toMatchObject({
      ok: false,
      error: { code: 'connection_failed', retryable: true, uncertain: true },
    });
    const retried = await client.createInvoice(invoice('INV-0401', id), 'k-401');
    expect(retried).toMatchObject({ ok: true, value: { number: 'INV-0401' } });
    expect(xero.invoices()).toHaveLength(1);
  });

  it('reports a Xero 500 as retryable and uncertain for a write', async () => {
    const id = await contactId();
    xero.failNext({ kind: 'status', status: 500 });
    const failed = await client.createInvoice(invoice('INV-0402', id), 'k-402');
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'server_error', retryable: true, uncertain: true },
    });
    expect(xero.invoices()).toHaveLength(0);
  });

  it('reports a refused access token as unauthorized', async () => {
    const stale = createXeroClient({
      session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve('expired-token') },
      apiUrl: xero.apiUrl,
    });
    const refused = await stale.findInvoiceByNumber('INV-0001');
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized', retryable: false } });
  });

  it('reports an injected validation failure in words from Xero', async () => {
    const id = await contactId();
    xero.failNext({ kind: 'validation', message: 'The organisation is locked for this period.' });
    const refused = await client.createInvoice(invoice('INV-0403', id), 'k-403');
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'validation',
        message: 'Xero rejected invoice INV-0403: The organisation is locked for this period.',
      },
    });
  });

  it('explains a contact name Xero already uses for another contact', async () => {
    await contactId();
    const clash = await findOrCreateContact(client, { ...acme, customerKey: 'CUST-0002' });
    expect(clash).toMatchObject({ ok: false, error: { code: 'contact_name_taken', retryable: false } });
  });

  it('attaches the PDF once when the same key is sent twice', async () => {
    const created = await client.createInvoice(invoice('INV-0500', await contactId()), 'k-500');
    if (!created.ok) throw new Error(created.error.message);
    const pdf = Buffer.from('%PDF-1.7 invoice INV-0500');

    const first = await client.attachPdf(created.value.id, 'INV-0500.pdf', pdf, 'attach-500');
    const again = await client.attachPdf(created.value.id, 'INV-0500.pdf', pdf, 'attach-500');

    expect(first.ok && again.ok && first.value.id === again.value.id).toBe(true);
    expect(xero.attachments()).toEqual([
      expect.objectContaining({
        invoiceId: created.value.id,
        fileName: 'INV-0500.pdf',
        mimeType: 'application/pdf',
        includeOnline: true,
        bytes: pdf,
      }),
    ]);
  });

  it('reports an attachment to an invoice Xero does not hold as not_found', async () => {
    const missing = await client.attachPdf(
      '7d0e7a4f-0000-4000-8000-000000000000',
      'x.pdf',
      Buffer.from('%PDF'),
      'a',
    );
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', retryable: false } });
  });
});

describe('findOrCreateContacts against the local Xero', () => {
  let xero: LocalXero;
  let client: ErpClient;

  beforeEach(async () => {
    xero = await startLocalXero();
    client = createXeroClient({
      session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve(xero.accessToken) },
      apiUrl: xero.apiUrl,
      timeoutMs: 1_000,
    });
  });
  afterEach(async () => {
    await xero.stop();
  });

  const customer = (number: number, overrides: Partial<ErpContactInput> = {}): ErpContactInput => ({
    ...acme,
    customerKey: `CUST-${String(number).padStart(4, '0')}`,
    name: `Customer ${number} Ltd`,
    ...overrides,
  });
  const contactCalls = () => xero.calls().filter((call) => /\/Contacts(\?|\/|$)/.test(call.path));

  it('finds the known and creates the new in one GET and one PUT, answering each customer', async () => {
    const known = await findOrCreateContact(client, customer(1));
    const before = contactCalls().length;

    const answers = await client.findOrCreateContacts([customer(1), customer(2), customer(3), customer(2)]);

    expect(answers.get('CUST-0001')).toEqual(
      known.ok && { ok: true, value: { id: known.value.id, created: false } },
    );
    expect(answers.get('CUST-0002')).toMatchObject({ ok: true, value: { created: true } });
    expect(answers.get('CUST-0003')).toMatchObject({ ok: true, value: { created: true } });
    expect(answers.size).toBe(3);
    const calls = contactCalls().slice(before);
    expect(calls.map((call) => call.method)).toEqual(['GET', 'PUT']);
    const [find, create] = calls;
    const where = new URL(find?.path ?? '', xero.url).searchParams.get('where');
    expect(where).toBe(
      'ContactNumber=="CUST-0001" OR ContactNumber=="CUST-0002" OR ContactNumber=="CUST-0003"',
    );
    expect(create?.path).toContain('summarizeErrors=false');
    expect(create?.idempotencyKey).toMatch(/^contacts-[0-9a-f]{64}$/);
    expect(
      xero
        .contacts()
        .map((contact) => contact.contactNumber)
        .sort(),
    ).toEqual(['CUST-0001', 'CUST-0002', 'CUST-0003']);
  });

  it('keys a PUT by the sorted customers it creates: the same customers in another order send the same key', async () => {
    await client.findOrCreateContacts([customer(5), customer(4)]);
    const [first] = contactCalls().filter((call) => call.method === 'PUT');
    const other = await startLocalXero();
    try {
      const fresh = createXeroClient({
        session: { tenantId: other.tenantId, accessToken: () => Promise.resolve(other.accessToken) },
        apiUrl: other.apiUrl,
      });
      await fresh.findOrCreateContacts([customer(4), customer(5)]);
      const [second] = other.calls().filter((call) => call.method === 'PUT');
      expect(first?.idempotencyKey).toMatch(/^contacts-[0-9a-f]{64}$/);
      expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
    } finally {
      await other.stop();
    }
  });

  it('makes a find and a create per 50: 120 new customers take 3 GETs and 3 PUTs', async () => {
    const inputs = Array.from({ length: 120 }, (_, index) => customer(index + 1));

    const answers = await client.findOrCreateContacts(inputs);

    expect([...answers.values()].filter((answer) => answer.ok && answer.value.created)).toHaveLength(120);
    expect(contactCalls().map((call) => call.method)).toEqual(['GET', 'PUT', 'GET', 'PUT', 'GET', 'PUT']);
    expect(xero.contacts()).toHaveLength(120);
  });

  it('refuses only the customer whose name another contact holds; the rest of the PUT is created', async () => {
    await findOrCreateContact(client, customer(9, { name: 'Initech Ltd' }));

    const answers = await client.findOrCreateContacts([
      customer(1),
      customer(2, { name: 'Initech Ltd' }),
      customer(3),
    ]);

    expect(answers.get('CUST-0002')).toMatchObject({
      ok: false,
      error: { code: 'contact_name_taken', retryable: false },
    });
    const refused = answers.get('CUST-0002');
    expect(refused?.ok === false && refused.error.message).toContain('CUST-0002');
    expect(answers.get('CUST-0001')).toMatchObject({ ok: true, value: { created: true } });
    expect(answers.get('CUST-0003')).toMatchObject({ ok: true, value: { created: true } });
    expect(xero.contacts()).toHaveLength(3);
  });

  it('reports an archived contact as such, and finds or creates the others', async () => {
    const archived = await findOrCreateContact(client, customer(1));
    if (!archived.ok) throw new Error(archived.error.message);
    const api = new AccountingApi(xero.apiUrl);
    api.accessToken = xero.accessToken;
    await api.updateOrCreateContacts(
      xero.tenantId,
      xeroModel(Contacts, {
        contacts: [
          xeroModel(Contact, {
            contactID: archived.value.id,
            contactStatus: Contact.ContactStatusEnum.ARCHIVED,
          }),
        ],
      }),
    );

    const answers = await client.findOrCreateContacts([customer(1), customer(2)]);

    expect(answers.get('CUST-0001')).toMatchObject({ ok: false, error: { code: 'contact_archived' } });
    expect(answers.get('CUST-0002')).toMatchObject({ ok: true, value: { created: true } });
    expect(xero.contacts()).toHaveLength(2);
  });

  it('finds a customer again by a key holding quotes and OR (the where clause escapes it)', async () => {
    await findOrCreateContact(client, customer(1));
    const odd = customer(2, { customerKey: 'K" OR ContactNumber!="x' });

    const answers = await client.findOrCreateContacts([odd]);

    expect(answers.get(odd.customerKey)).toMatchObject({ ok: true, value: { created: true } });
    const again = await client.findOrCreateContacts([odd]);
    expect(again.get(odd.customerKey)).toMatchObject({ ok: true, value: { created: false } });
    expect(xero.contacts()).toHaveLength(2);
  });

  it('gives every customer of a chunk the failure when Xero is unavailable, and sends no create', async () => {
    xero.failNext({ kind: 'status', status: 503 }, { method: 'GET', resource: 'Contacts' });

    const answers = await client.findOrCreateContacts([customer(1), customer(2)]);

    expect([...answers.values()].map((answer) => !answer.ok && answer.error.retryable)).toEqual([true, true]);
    expect(contactCalls().map((call) => call.method)).toEqual(['GET']);
  });
});

describe('voidInvoice against the local Xero', () => {
  let xero: LocalXero;
  let client: ErpClient;

  beforeEach(async () => {
    xero = await startLocalXero();
    client = createXeroClient({
      session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve(xero.accessToken) },
      apiUrl: xero.apiUrl,
      timeoutMs: 1_000,
    });
  });
  afterEach(async () => {
    await xero.stop();
  });

  async function created(number: string): Promise<string> {
    const contact = await findOrCreateContact(client, acme);
    if (!contact.ok) throw new Error(contact.error.message);
    const made = await client.createInvoice(invoice(number, contact.value.id), `key-${number}`);
    if (!made.ok) throw new Error(made.error.message);
    return made.value.id;
  }

  it('voids an unpaid AUTHORISED invoice (POST Invoices/{id} Status VOIDED); a second void finds it void', async () => {
    const id = await created('INV-V-1');
    const first = await client.voidInvoice(id);
    expect(first).toEqual({ ok: true, value: { id, alreadyVoid: false } });
    expect(xero.invoices().find((stored) => stored.invoiceId === id)?.status).toBe('VOIDED');
    const posts = xero.calls().filter((call) => call.method === 'POST');
    expect(posts).toHaveLength(1);

    expect(await client.voidInvoice(id)).toEqual({ ok: true, value: { id, alreadyVoid: true } });
    expect(xero.calls().filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  it('refuses to void a paid invoice, and Xero itself refuses it with a ValidationException', async () => {
    const id = await created('INV-V-2');
    xero.addPayment('INV-V-2', '58.80', '2026-11-30');
    const refused = await client.voidInvoice(id);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('has_payments');

    // Forced past the adapter's own check, straight through the SDK:
    const api = new AccountingApi(xero.apiUrl);
    api.accessToken = xero.accessToken;
    const forced = await api
      .updateInvoice(
        xero.tenantId,
        id,
        xeroModel(Invoices, {
          invoices: [xeroModel(Invoice, { invoiceID: id, status: Invoice.StatusEnum.VOIDED })],
        }),
      )
      .then(
        () => 'accepted',
        (error: unknown) => String(error),
      );
    expect(forced).toContain('ValidationException');
    expect(forced).toMatch(/cannot be changed from PAID to VOIDED|payment or credit note allocated/);
    expect(xero.invoices().find((stored) => stored.invoiceId === id)?.status).toBe('PAID');
  });
});
