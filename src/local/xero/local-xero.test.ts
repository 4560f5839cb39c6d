import { afterEach, describe, expect, it } from 'vitest';

import { exchangeCode, refreshTokens } from '../../erp/oauth-token-endpoint.ts';
import { LOCAL_XERO_ACCESS_TOKEN, startLocalXero, type LocalXero } from './local-xero.ts';

let xero: LocalXero | undefined;

afterEach(async () => {
  await xero?.stop();
  xero = undefined;
});

async function start(options: Parameters<typeof startLocalXero>[0] = {}): Promise<LocalXero> {
  xero = await startLocalXero(options);
  return xero;
}

function call(
  server: LocalXero,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${server.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${LOCAL_XERO_ACCESS_TOKEN}`,
      'xero-tenant-id': server.tenantId,
      accept: 'application/json',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

const invoiceElement = (number: string, contactId: string, extra: Record<string, unknown> = {}) => ({
  Type: 'ACCREC',
  Status: 'AUTHORISED',
  InvoiceNumber: number,
  Contact: { ContactID: contactId },
  Date: '2026-11-30',
  DueDate: '2026-12-30',
  LineAmountTypes: 'Exclusive',
  LineItems: [
    { Description: 'Fee', Quantity: 2, UnitAmount: 10.005, AccountCode: '200', TaxType: 'OUTPUT2' },
  ],
  ...extra,
});

async function createContact(server: LocalXero, name = 'Acme'): Promise<string> {
  const response = await call(server, 'PUT', '/Contacts', {
    body: { Contacts: [{ Name: name, ContactNumber: name }] },
  });
  const body = (await response.json()) as { Contacts: { ContactID: string }[] };
  const [contact] = body.Contacts;
  if (contact === undefined) throw new Error('no contact created');
  return contact.ContactID;
}

describe('local Xero limits', () => {
  it('refuses the 61st call in a minute with 429, Retry-After and X-Rate-Limit-Problem: minute', async () => {
    let now = new Date('2026-11-30T09:00:00Z');
    const server = await start({ now: () => now });
    for (let index = 0; index < 60; index += 1) {
      now = new Date(now.getTime() + 500);
      expect((await call(server, 'GET', '/Invoices')).status).toBe(200);
    }
    const refused = await call(server, 'GET', '/Invoices');

    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-rate-limit-problem')).toBe('minute');
    // The first call (at +0.5 s) leaves the window at +60.5 s; the clock reads +30 s.
    expect(refused.headers.get('retry-after')).toBe('31');
    expect(refused.headers.get('x-minlimit-remaining')).toBe('0');

    now = new Date(now.getTime() + 31_000);
    expect((await call(server, 'GET', '/Invoices')).status).toBe(200);
  });

  it('refuses a 6th call while 5 are in flight with 429 concurrent and no Retry-After', async () => {
    const server = await start({ latencyMs: 300 });
    const inFlight = Array.from({ length: 5 }, () => call(server, 'GET', '/Invoices'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sixth = await call(server, 'GET', '/Invoices');

    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('x-rate-limit-problem')).toBe('concurrent');
    // Xero's concurrent-limit 429 carries no Retry-After (developer.xero.com/documentation/guides/oauth2/limits).
    expect(sixth.headers.get('retry-after')).toBeNull();
    expect((await Promise.all(inFlight)).map((response) => response.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect((await call(server, 'GET', '/Invoices')).status).toBe(200);
  });

  it('refuses calls past the daily limit with X-Rate-Limit-Problem: day until the 24 hours roll', async () => {
    let now = new Date('2026-11-30T09:00:00Z');
    const server = await start({ now: () => now, limits: { perDay: 3 } });
    for (let index = 0; index < 3; index += 1) await call(server, 'GET', '/Contacts');
    const refused = await call(server, 'GET', '/Contacts');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-rate-limit-problem')).toBe('day');
    expect(Number(refused.headers.get('retry-after'))).toBe(24 * 3600);

    now = new Date(now.getTime() + 24 * 3600 * 1000 + 1);
    expect((await call(server, 'GET', '/Contacts')).status).toBe(200);
  });

  it('counts limits per tenant', async () => {
    const server = await start({ tenantIds: ['tenant-a', 'tenant-b'], limits: { perMinute: 1 } });
    const asTenant = (tenantId: string) =>
      call(server, 'GET', '/Invoices', { headers: { 'xero-tenant-id': tenantId } });
    expect((await asTenant('tenant-a')).status).toBe(200);
    expect((await asTenant('tenant-a')).status).toBe(429);
    expect((await asTenant('tenant-b')).status).toBe(200);
  });
});

describe('local Xero requests', () => {
  it('needs the bearer token and a connected tenant', async () => {
    const server = await start();
    expect(
      (await call(server, 'GET', '/Invoices', { headers: { authorization: 'Bearer nope' } })).status,
    ).toBe(401);
    expect((await call(server, 'GET', '/Invoices', { headers: { 'xero-tenant-id': 'other' } })).status).toBe(
      403,
    );
  });

  it('computes totals from the lines, rounding unit amounts to 2 decimals without unitdp=4', async () => {
    const server = await start();
    const contactId = await createContact(server);
    const response = await call(server, 'PUT', '/Invoices', {
      body: { Invoices: [invoiceElement('INV-1', contactId)] },
    });
    const body = (await response.json()) as { Invoices: Record<string, unknown>[] };

    expect(response.status).toBe(200);
    expect(body.Invoices[0]).toMatchObject({
      InvoiceNumber: 'INV-1',
      Status: 'AUTHORISED',
      SubTotal: 20.02,
      TotalTax: 4,
      Total: 24.02,
      Date: '/Date(1795996800000+0000)/',
      LineItems: [expect.objectContaining({ UnitAmount: 10.01, LineAmount: 20.02, TaxAmount: 4 })],
    });
  });

  it('keeps 4 decimals on unit amounts with unitdp=4', async () => {
    const server = await start();
    const contactId = await createContact(server);
    await call(server, 'PUT', '/Invoices?unitdp=4', {
      body: { Invoices: [invoiceElement('INV-1', contactId)] },
    });
    expect(server.invoices()[0]).toMatchObject({ subTotal: '20.01', total: '24.01' });
  });

  it('fails the whole request with a ValidationException unless summarizeErrors=false', async () => {
    const server = await start();
    const contactId = await createContact(server);
    const bad = invoiceElement('INV-2', contactId, {
      LineItems: [{ Description: 'Fee', Quantity: 1, UnitAmount: 5, AccountCode: '999' }],
    });
    const summarized = await call(server, 'PUT', '/Invoices', {
      body: { Invoices: [invoiceElement('INV-1', contactId), bad] },
    });
    expect(summarized.status).toBe(400);
    expect(await summarized.json()).toMatchObject({
      Type: 'ValidationException',
      Elements: [
        { ValidationErrors: [{ Message: "Account code '999' is not a valid code for this document." }] },
      ],
    });
    expect(server.invoices()).toHaveLength(0);

    const mixed = await call(server, 'PUT', '/Invoices?summarizeErrors=false', {
      body: { Invoices: [invoiceElement('INV-1', contactId), bad] },
    });
    const body = (await mixed.json()) as { Invoices: Record<string, unknown>[] };
    expect(mixed.status).toBe(200);
    expect(body.Invoices.map((invoice) => invoice.StatusAttributeString)).toEqual(['OK', 'ERROR']);
    expect(body.Invoices[1]).toMatchObject({
      HasErrors: true,
      InvoiceID: '00000000-0000-0000-0000-000000000000',
    });
    expect(server.invoices()).toHaveLength(1);
  });

  it('finds invoices by InvoiceNumbers and by a where clause', async () => {
    const server = await start();
    const contactId = await createContact(server);
    await call(server, 'PUT', '/Invoices', {
      body: { Invoices: [invoiceElement('INV-1', contactId), invoiceElement('INV-2', contactId)] },
    });
    const byNumber = (await (await call(server, 'GET', '/Invoices?InvoiceNumbers=INV-2')).json()) as {
      Invoices: { InvoiceNumber: string }[];
    };
    expect(byNumber.Invoices.map((invoice) => invoice.InvoiceNumber)).toEqual(['INV-2']);
    const where = encodeURIComponent(`Contact.ContactID==Guid("${contactId}") AND InvoiceNumber!="INV-2"`);
    const byWhere = (await (await call(server, 'GET', `/Invoices?where=${where}`)).json()) as {
      Invoices: { InvoiceNumber: string }[];
    };
    expect(byWhere.Invoices.map((invoice) => invoice.InvoiceNumber)).toEqual(['INV-1']);
    expect((await call(server, 'GET', `/Invoices?where=${encodeURIComponent('Total >')}`)).status).toBe(400);
  });

  it('replays the first answer to a repeated Idempotency-Key and refuses the key for a different request', async () => {
    const server = await start();
    const contactId = await createContact(server);
    const send = (number: string) =>
      call(server, 'PUT', '/Invoices', {
        body: { Invoices: [invoiceElement(number, contactId)] },
        headers: { 'idempotency-key': 'same-key' },
      });
    const first = await (await send('INV-1')).text();
    const again = await (await send('INV-1')).text();
    expect(again).toBe(first);
    expect(server.invoices()).toHaveLength(1);
    expect((await send('INV-9')).status).toBe(400);
  });

  it('lets the key be used again once Xero has forgotten it (6 minutes)', async () => {
    let now = new Date('2026-11-30T09:00:00Z');
    const server = await start({ now: () => now });
    const contactId = await createContact(server);
    const send = () =>
      call(server, 'PUT', '/Invoices', {
        body: { Invoices: [invoiceElement('INV-1', contactId)] },
        headers: { 'idempotency-key': 'k' },
      });
    await send();
    now = new Date(now.getTime() + 6 * 60_000 + 1);
    const late = (await (await send()).json()) as { Elements: { ValidationErrors: { Message: string }[] }[] };
    expect(late.Elements[0]?.ValidationErrors[0]?.Message).toBe('Invoice # must be unique.');
  });

  it('finds contacts by ContactNumber and refuses a second contact with the same name', async () => {
    const server = await start();
    await createContact(server, 'Acme');
    const found = (await (
      await call(server, 'GET', `/Contacts?where=${encodeURIComponent('ContactNumber=="Acme"')}`)
    ).json()) as { Contacts: unknown[] };
    expect(found.Contacts).toHaveLength(1);
    const clash = await call(server, 'PUT', '/Contacts?summarizeErrors=false', {
      body: { Contacts: [{ Name: 'acme' }] },
    });
    expect(await clash.json()).toMatchObject({
      Contacts: [{ HasValidationErrors: true, StatusAttributeString: 'ERROR' }],
    });
  });

  it('finds several contacts by ContactNumbers ORed in one where clause', async () => {
    const server = await start();
    for (const name of ['Acme', 'Globex', 'Initech']) await createContact(server, name);
    const where = encodeURIComponent(
      'ContactNumber=="Acme" OR ContactNumber=="Initech" OR ContactNumber=="Hooli"',
    );
    const found = (await (await call(server, 'GET', `/Contacts?where=${where}`)).json()) as {
      Contacts: { ContactNumber: string }[];
    };
    expect(found.Contacts.map((contact) => contact.ContactNumber).sort()).toEqual(['Acme', 'Initech']);
  });

  it('creates the valid contacts of a PUT with summarizeErrors=false and reports each refused one', async () => {
    const server = await start();
    await createContact(server, 'Acme');
    const contacts = [
      { Name: 'Globex', ContactNumber: 'G-1' },
      { Name: 'acme', ContactNumber: 'A-2' },
      { Name: 'Initech', ContactNumber: 'I-3', EmailAddress: 'not an address' },
      { Name: 'Hooli', ContactNumber: 'H-4' },
    ];

    const summarized = await call(server, 'PUT', '/Contacts', { body: { Contacts: contacts } });
    expect(summarized.status).toBe(400);
    expect(await summarized.json()).toMatchObject({ Type: 'ValidationException' });
    expect(server.contacts()).toHaveLength(1);

    const mixed = await call(server, 'PUT', '/Contacts?summarizeErrors=false', {
      body: { Contacts: contacts },
    });
    const body = (await mixed.json()) as { Contacts: Record<string, unknown>[] };
    expect(mixed.status).toBe(200);
    expect(body.Contacts.map((contact) => [contact.ContactNumber, contact.StatusAttributeString])).toEqual([
      ['G-1', 'OK'],
      ['A-2', 'ERROR'],
      ['I-3', 'ERROR'],
      ['H-4', 'OK'],
    ]);
    expect(body.Contacts[1]).toMatchObject({ HasValidationErrors: true });
    expect(JSON.stringify(body.Contacts[1]?.ValidationErrors)).toContain(
      'already assigned to another contact',
    );
    expect(
      server
        .contacts()
        .map((contact) => contact.name)
        .sort(),
    ).toEqual(['Acme', 'Globex', 'Hooli']);
  });

  it('answers an arranged 503 without doing anything', async () => {
    const server = await start();
    server.failNext({ kind: 'status', status: 503 }, { resource: 'Contacts' });
    expect((await call(server, 'PUT', '/Contacts', { body: { Contacts: [{ Name: 'A' }] } })).status).toBe(
      503,
    );
    expect(server.contacts()).toHaveLength(0);
    expect(server.calls().map((entry) => entry.injected)).toEqual(['status']);
  });

  it('connects through the authorization-code flow and honours the issued tokens', async () => {
    const server = await start();
    const redirectUri = 'http://127.0.0.1:9/xero/callback';
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: server.clientId,
      redirect_uri: redirectUri,
      scope: 'openid offline_access accounting.invoices accounting.contacts',
      state: 'csrf-42',
    });
    const consent = await fetch(`${server.authorizeUrl}?${query.toString()}`, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('csrf-42');

    const client = {
      tokenUrl: server.tokenUrl,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
    };
    const code = callback.searchParams.get('code') ?? '';
    const connected = await exchangeCode(client, code, redirectUri, new Date());
    if (!connected.ok) throw new Error(connected.message);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const { accessToken } = connected.tokens;
    expect(accessToken).not.toBe(LOCAL_XERO_ACCESS_TOKEN);
    expect((await fetch(server.connectionsUrl)).status).toBe(401);
    const connections = await fetch(server.connectionsUrl, { headers: bearer(accessToken) });
    const tenants = (await connections.json()) as { tenantId: string }[];
    expect(tenants.map((connection) => connection.tenantId)).toEqual([server.tenantId]);
    expect((await call(server, 'GET', '/Contacts', { headers: bearer(accessToken) })).status).toBe(200);

    const refreshed = await refreshTokens(client, connected.tokens.refreshToken, new Date());
    if (!refreshed.ok) throw new Error(refreshed.message);
    expect(refreshed.tokens.refreshToken).not.toBe(connected.tokens.refreshToken);
    expect(server.oauth.tokenRequests).toEqual({ total: 2, authorizationCode: 1, refreshToken: 1 });

    server.oauth.revokeAll();
    expect(await refreshTokens(client, refreshed.tokens.refreshToken, new Date())).toMatchObject({
      ok: false,
      code: 'invalid_grant',
    });
    const revoked = bearer(refreshed.tokens.accessToken);
    expect((await call(server, 'GET', '/Contacts', { headers: revoked })).status).toBe(401);
    expect((await fetch(server.connectionsUrl, { headers: revoked })).status).toBe(401);
  });

  it('reports every problem of an invoice, in Xero’s words', async () => {
    const server = await start();
    const contactId = await createContact(server);
    const response = await call(server, 'PUT', '/Invoices?summarizeErrors=false', {
      body: {
        Invoices: [
          invoiceElement('INV-1', contactId, {
            DueDate: undefined,
            LineItems: [
              {
                Quantity: 1,
                UnitAmount: 5,
                AccountCode: '200',
                TaxType: 'VAT99',
                Tracking: [{ Name: 'Region', Option: 'Mars' }],
              },
            ],
          }),
        ],
      },
    });
    const body = (await response.json()) as { Invoices: { ValidationErrors: { Message: string }[] }[] };
    expect(body.Invoices[0]?.ValidationErrors.map((error) => error.Message)).toEqual([
      'Due Date is required.',
      'The description field is mandatory for each line item.',
      "The TaxType code 'VAT99' does not exist or cannot be used for this type of transaction.",
      "Tracking option 'Mars' does not exist in tracking category 'Region'.",
    ]);
  });

  it('voids an approved invoice through POST Invoices, and refuses to delete it', async () => {
    const server = await start();
    const contactId = await createContact(server);
    await call(server, 'PUT', '/Invoices', { body: { Invoices: [invoiceElement('INV-1', contactId)] } });
    const voided = await call(server, 'POST', '/Invoices', {
      body: { Invoices: [{ InvoiceNumber: 'INV-1', Status: 'VOIDED' }] },
    });
    expect(voided.status).toBe(200);
    expect(server.invoices().map((invoice) => invoice.status)).toEqual(['VOIDED']);
    const deleted = await call(server, 'POST', '/Invoices', {
      body: { Invoices: [{ InvoiceNumber: 'INV-1', Status: 'DELETED' }] },
    });
    expect(deleted.status).toBe(400);
  });

  it('stores an attachment and serves it back', async () => {
    const server = await start();
    const contactId = await createContact(server);
    const created = (await (
      await call(server, 'PUT', '/Invoices', { body: { Invoices: [invoiceElement('INV-1', contactId)] } })
    ).json()) as { Invoices: { InvoiceID: string }[] };
    const invoiceId = created.Invoices[0]?.InvoiceID ?? '';
    const upload = await fetch(
      `${server.apiUrl}/Invoices/${invoiceId}/Attachments/INV-1.pdf?IncludeOnline=true`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${LOCAL_XERO_ACCESS_TOKEN}`,
          'xero-tenant-id': server.tenantId,
          'content-type': 'application/pdf',
        },
        body: Buffer.from('%PDF-1.7'),
      },
    );
    expect(await upload.json()).toMatchObject({
      Attachments: [
        { FileName: 'INV-1.pdf', MimeType: 'application/pdf', IncludeOnline: true, ContentLength: 8 },
      ],
    });
    const file = await call(server, 'GET', `/Invoices/${invoiceId}/Attachments/INV-1.pdf`);
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.7');
    const invoice = (await (await call(server, 'GET', `/Invoices/${invoiceId}`)).json()) as {
      Invoices: { HasAttachments: boolean }[];
    };
    expect(invoice.Invoices[0]?.HasAttachments).toBe(true);
  });
});
