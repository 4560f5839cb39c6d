import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { exchangeCode, refreshTokens } from '../../../src/erp/oauth-token-endpoint.ts';
import { startLocalQuickBooks, type LocalQuickBooks } from './index.ts';

// The local server's own behaviour over plain HTTP: auth, throttling, requestid replay, validation.

let qbo: LocalQuickBooks;
let clockMs: number;

beforeEach(async () => {
  clockMs = Date.parse('2026-11-21T09:00:00Z');
  qbo = await startLocalQuickBooks({ now: () => new Date(clockMs) });
});

afterEach(async () => {
  await qbo.stop();
});

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function request(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<Reply> {
  const response = await fetch(`${qbo.url}/v3/company/${qbo.realmId}/${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${init.token ?? qbo.accessToken}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

function query(text: string): Promise<Reply> {
  return request(`query?query=${encodeURIComponent(text)}&minorversion=75`);
}

function firstError(reply: Reply): unknown {
  const fault = reply.body.Fault as { Error: unknown[] } | undefined;
  return fault?.Error[0];
}

async function createCustomer(name = 'Acme Ltd'): Promise<string> {
  const reply = await request('customer', { body: { DisplayName: name } });
  return (reply.body.Customer as { Id: string }).Id;
}

function salesLine(amount: number, taxCode = 'TAX'): Record<string, unknown> {
  return {
    DetailType: 'SalesItemLineDetail',
    Amount: amount,
    SalesItemLineDetail: {
      ItemRef: { value: '1' },
      TaxCodeRef: { value: taxCode },
      Qty: 1,
      UnitPrice: amount,
    },
  };
}

describe('rate limits', () => {
  it('throttles the 11th request in one second with a 3001 Fault and Retry-After', async () => {
    const replies: Reply[] = [];
    for (let index = 0; index < 11; index += 1) replies.push(await query('select * from Item'));

    expect(replies.slice(0, 10).every((reply) => reply.status === 200)).toBe(true);
    const throttled = replies[10];
    expect(throttled?.status).toBe(429);
    expect(throttled?.headers.get('retry-after')).toBe('1');
    expect(throttled === undefined ? undefined : firstError(throttled)).toMatchObject({ code: '3001' });

    clockMs += 1_000;
    expect((await query('select * from Item')).status).toBe(200);
  });

  it('throttles the 501st request in a minute, and says when the oldest one leaves the window', async () => {
    for (let index = 0; index < 500; index += 1) {
      clockMs += 110;
      expect((await query('select * from Item')).status).toBe(200);
    }
    clockMs += 110;

    const throttled = await query('select * from Item');

    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('5');
  });

  it('throttles the 41st batch request in a minute', async () => {
    const batch = { BatchItemRequest: [{ bId: '1', operation: 'query', Query: 'select * from Item' }] };
    for (let index = 0; index < 40; index += 1) {
      clockMs += 200;
      expect((await request('batch', { body: batch })).status).toBe(200);
    }
    clockMs += 200;

    const throttled = await request('batch', { body: batch });

    expect(throttled.status).toBe(429);
    expect(firstError(throttled)).toMatchObject({ code: '3001' });
  });

  it('refuses the 11th request in flight at once with a 429 and no Retry-After, then admits again', async () => {
    // Intuit developer blog, 2016-08-08: "more than 10 concurrent ... requests to the same realmId will
    // get a 429"; the per-second limit is lifted here so only the concurrency limit is in play.
    await qbo.stop();
    qbo = await startLocalQuickBooks({
      now: () => new Date(clockMs),
      latencyMs: 300,
      limits: { perSecond: 100 },
    });

    const replies = await Promise.all(Array.from({ length: 11 }, () => query('select * from Item')));

    const refused = replies.filter((reply) => reply.status === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.headers.get('retry-after')).toBeNull();
    expect(refused[0] === undefined ? undefined : firstError(refused[0])).toMatchObject({ code: '3001' });
    expect((await query('select * from Item')).status).toBe(200);
  });

  it('counts each realm on its own', async () => {
    for (let index = 0; index < 10; index += 1) await query('select * from Item');
    const other = await fetch(`${qbo.url}/v3/company/123/query?query=select%20*%20from%20Item`, {
      headers: { authorization: `Bearer ${qbo.accessToken}` },
    });

    expect(other.status).toBe(200);
  });
});

describe('authentication', () => {
  it('answers 401 with the lowercase fault body when the bearer token is wrong', async () => {
    const reply = await request('query?query=select%20*%20from%20Item', { token: 'stale' });

    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ fault: { error: [{ code: '3200' }] } });
  });

  it('connects through the authorization-code flow, rotates and honours the issued tokens', async () => {
    const redirectUri = 'http://127.0.0.1:9/quickbooks/callback';
    const consent = await fetch(
      `${qbo.authorizeUrl}?${new URLSearchParams({
        client_id: qbo.clientId,
        response_type: 'code',
        scope: 'com.intuit.quickbooks.accounting',
        redirect_uri: redirectUri,
        state: 'csrf-7',
      }).toString()}`,
      { redirect: 'manual' },
    );
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('csrf-7');
    expect(callback.searchParams.get('realmId')).toBe(qbo.realmId);

    const client = { tokenUrl: qbo.tokenUrl, clientId: qbo.clientId, clientSecret: qbo.clientSecret };
    const code = callback.searchParams.get('code') ?? '';
    const connected = await exchangeCode(client, code, redirectUri, new Date(clockMs));
    if (!connected.ok) throw new Error(connected.message);
    expect(connected.tokens.expiresAt).toEqual(new Date(clockMs + 3600_000));
    expect(connected.tokens.accessToken).not.toBe(qbo.accessToken);
    expect((await query('select * from Item')).status).toBe(200);
    const token = connected.tokens.accessToken;
    expect((await request('query?query=select%20*%20from%20Item', { token })).status).toBe(200);
    expect(await exchangeCode(client, code, redirectUri, new Date(clockMs))).toMatchObject({
      ok: false,
      code: 'invalid_grant',
    });

    clockMs += 3600_000;
    expect((await request('query?query=select%20*%20from%20Item', { token })).status).toBe(401);
    const refreshed = await refreshTokens(client, connected.tokens.refreshToken, new Date(clockMs));
    if (!refreshed.ok) throw new Error(refreshed.message);
    expect(refreshed.tokens.refreshToken).not.toBe(connected.tokens.refreshToken);
    const fresh = refreshed.tokens.accessToken;
    expect((await request('query?query=select%20*%20from%20Item', { token: fresh })).status).toBe(200);
    expect(qbo.oauth.tokenRequests).toEqual({ total: 3, authorizationCode: 2, refreshToken: 1 });

    qbo.oauth.revokeAll();
    expect(await refreshTokens(client, refreshed.tokens.refreshToken, new Date(clockMs))).toMatchObject({
      ok: false,
      code: 'invalid_grant',
    });
    expect((await request('query?query=select%20*%20from%20Item', { token: fresh })).status).toBe(401);
  });
});

describe('requestid', () => {
  it('answers a repeated requestid with the first response and creates nothing new', async () => {
    const first = await request('customer?requestid=abc-1', { body: { DisplayName: 'Acme Ltd' } });
    const second = await request('customer?requestid=abc-1', { body: { DisplayName: 'Other Name' } });

    expect(second.body).toEqual(first.body);
    expect(qbo.customers()).toHaveLength(1);
    expect(qbo.calls().map((call) => call.replayed)).toEqual([false, true]);
  });

  it('does not remember a refusal, so a corrected request with the same requestid goes through', async () => {
    const customer = await createCustomer();
    const bad = await request('invoice?requestid=r-2', {
      body: {
        CustomerRef: { value: customer },
        Line: [{ ...salesLine(10), SalesItemLineDetail: { ItemRef: { value: '999' } } }],
      },
    });
    const good = await request('invoice?requestid=r-2', {
      body: { CustomerRef: { value: customer }, Line: [salesLine(10)] },
    });

    expect(bad.status).toBe(400);
    expect(good.status).toBe(200);
  });
});

describe('invoices', () => {
  it('computes tax per tax code and the total from the lines', async () => {
    const customer = await createCustomer();

    const reply = await request('invoice', {
      body: {
        CustomerRef: { value: customer },
        DocNumber: 'INV-1',
        Line: [salesLine(33.33), salesLine(33.33), salesLine(5, 'NON')],
      },
    });

    expect(reply.body.Invoice).toMatchObject({
      TxnTaxDetail: { TotalTax: 6.67 },
      TotalAmt: 78.33,
      Balance: 78.33,
    });
  });

  it('backs tax out of tax-inclusive lines without changing the total', async () => {
    const customer = await createCustomer();

    const reply = await request('invoice', {
      body: {
        CustomerRef: { value: customer },
        GlobalTaxCalculation: 'TaxInclusive',
        Line: [salesLine(110)],
      },
    });

    expect(reply.body.Invoice).toMatchObject({ TxnTaxDetail: { TotalTax: 10 }, TotalAmt: 110 });
  });

  it('refuses a duplicate DocNumber with 6140 unless duplicates are allowed', async () => {
    const customer = await createCustomer();
    const body = { CustomerRef: { value: customer }, DocNumber: 'INV-7', Line: [salesLine(10)] };
    await request('invoice', { body });

    const duplicate = await request('invoice', { body });
    const allowed = await request('invoice?include=allowduplicatedocnum', { body });

    expect(duplicate.status).toBe(400);
    expect(firstError(duplicate)).toMatchObject({ code: '6140', Message: 'Duplicate Document Number Error' });
    expect(allowed.status).toBe(200);
  });

  it('refuses an amount that is not Qty × UnitPrice', async () => {
    const customer = await createCustomer();
    const line = {
      DetailType: 'SalesItemLineDetail',
      Amount: 25,
      SalesItemLineDetail: { Qty: 2, UnitPrice: 10 },
    };

    const reply = await request('invoice', { body: { CustomerRef: { value: customer }, Line: [line] } });

    expect(firstError(reply)).toMatchObject({ code: '6070' });
  });

  it('keeps UnitPrice to 7 decimals, so a finer price times a large quantity no longer makes the amount', async () => {
    const customer = await createCustomer();
    const line = {
      DetailType: 'SalesItemLineDetail',
      Amount: 1506.85,
      SalesItemLineDetail: { Qty: 1000000, UnitPrice: 0.0015068493 },
    };

    const reply = await request('invoice', { body: { CustomerRef: { value: customer }, Line: [line] } });

    expect(firstError(reply)).toMatchObject({ code: '6070' });
  });

  it('refuses unknown references with 2500 Invalid Reference Id', async () => {
    const customer = await createCustomer();
    const withClass = {
      ...salesLine(10),
      SalesItemLineDetail: { ClassRef: { value: '77' }, Qty: 1, UnitPrice: 10 },
    };

    const unknownCustomer = await request('invoice', {
      body: { CustomerRef: { value: '4040' }, Line: [salesLine(10)] },
    });
    const unknownClass = await request('invoice', {
      body: { CustomerRef: { value: customer }, Line: [withClass] },
    });

    expect(firstError(unknownCustomer)).toMatchObject({ code: '2500', element: 'CustomerRef' });
    expect(firstError(unknownClass)).toMatchObject({ code: '2500', element: 'Line[0].ClassRef' });
  });

  it('refuses an invoice in another currency than its customer', async () => {
    const customer = await createCustomer();

    const reply = await request('invoice', {
      body: { CustomerRef: { value: customer }, CurrencyRef: { value: 'EUR' }, Line: [salesLine(10)] },
    });

    expect(firstError(reply)).toMatchObject({ code: '6000' });
  });
});

describe('a US company on automated sales tax', () => {
  // developer.intuit.com/hub/blog/2017/12/11/using-quickbooks-online-api-automated-sales-tax: AST assigns
  // its own tax code and works out the tax; an explicit tax amount sent is honoured.
  beforeEach(async () => {
    await qbo.stop();
    qbo = await startLocalQuickBooks({
      now: () => new Date(clockMs),
      catalog: { automatedSalesTax: { ratePercent: '8.875' } },
    });
  });

  it('says so in Preferences.TaxPrefs.PartnerTaxEnabled', async () => {
    expect((await request('preferences')).body).toMatchObject({
      Preferences: { TaxPrefs: { PartnerTaxEnabled: true } },
    });
  });

  it('works out its own tax whatever tax code the lines name', async () => {
    const customer = await createCustomer();

    const reply = await request('invoice', {
      body: { CustomerRef: { value: customer }, Line: [salesLine(100, 'NON')] },
    });

    expect(reply.body.Invoice).toMatchObject({ TxnTaxDetail: { TotalTax: 8.88 }, TotalAmt: 108.88 });
  });

  it('honours the tax amount sent in TxnTaxDetail.TotalTax', async () => {
    const customer = await createCustomer();

    const reply = await request('invoice', {
      body: { CustomerRef: { value: customer }, Line: [salesLine(100)], TxnTaxDetail: { TotalTax: 19 } },
    });

    expect(reply.body.Invoice).toMatchObject({ TxnTaxDetail: { TotalTax: 19 }, TotalAmt: 119 });
  });

  it('refuses GlobalTaxCalculation, which is for non-US companies', async () => {
    const customer = await createCustomer();

    const reply = await request('invoice', {
      body: { CustomerRef: { value: customer }, GlobalTaxCalculation: 'TaxExcluded', Line: [salesLine(100)] },
    });

    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({ code: '2010', element: 'GlobalTaxCalculation' });
  });

  it('is not what a non-US company says it is', async () => {
    await qbo.stop();
    qbo = await startLocalQuickBooks({ now: () => new Date(clockMs) });

    expect((await request('preferences')).body).toMatchObject({
      Preferences: { TaxPrefs: { PartnerTaxEnabled: false } },
    });
  });
});

describe('queries', () => {
  it('finds by exact DisplayName, IN lists and escaped quotes, case-insensitively', async () => {
    await createCustomer("O'Brien Sons");
    await createCustomer('Acme Ltd');

    const exact = await query("select * from Customer where DisplayName = 'o\\'brien sons'");
    const list = await query("select * from Customer where DisplayName IN ('Acme Ltd', 'Nobody')");
    const none = await query("select * from Customer where DisplayName = 'Nobody'");

    expect((exact.body.QueryResponse as { Customer: unknown[] }).Customer).toHaveLength(1);
    expect((list.body.QueryResponse as { Customer: unknown[] }).Customer).toHaveLength(1);
    expect(none.body.QueryResponse).toEqual({});
  });

  it('refuses a field QuickBooks does not let you filter on', async () => {
    const reply = await query("select * from Customer where AcctNum = 'cus_1'");

    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({
      code: '4001',
      Detail: "QueryValidationError: property 'AcctNum' is not queryable",
    });
  });

  it('counts with count(*)', async () => {
    await createCustomer('A');
    await createCustomer('B');

    const reply = await query('select count(*) from Customer');

    expect(reply.body.QueryResponse).toEqual({ totalCount: 2 });
  });
});

describe('batch', () => {
  it('runs each item on its own and answers per bId, with a Fault for the bad one', async () => {
    const customer = await createCustomer();

    const reply = await request('batch', {
      body: {
        BatchItemRequest: [
          {
            bId: 'a',
            operation: 'create',
            Invoice: { CustomerRef: { value: customer }, DocNumber: 'B-1', Line: [salesLine(10)] },
          },
          {
            bId: 'b',
            operation: 'create',
            Invoice: { CustomerRef: { value: '999' }, DocNumber: 'B-2', Line: [salesLine(10)] },
          },
          { bId: 'c', operation: 'query', Query: "select * from Invoice where DocNumber = 'B-1'" },
        ],
      },
    });

    const items = reply.body.BatchItemResponse as Record<string, unknown>[];
    expect(items.map((item) => item.bId)).toEqual(['a', 'b', 'c']);
    expect(items[0]?.Invoice).toMatchObject({ DocNumber: 'B-1' });
    expect(items[1]?.Fault).toMatchObject({ Error: [{ code: '2500' }], type: 'ValidationFault' });
    expect(items[2]?.QueryResponse).toMatchObject({ Invoice: [{ DocNumber: 'B-1' }] });
  });

  it('refuses more than 30 items', async () => {
    const items = Array.from({ length: 31 }, (_, index) => ({
      bId: String(index),
      operation: 'query',
      Query: 'select * from Item',
    }));

    const reply = await request('batch', { body: { BatchItemRequest: items } });

    expect(reply.status).toBe(400);
  });
});

describe('failure injection', () => {
  it('fails the next matching request only, with the status or Fault asked for', async () => {
    qbo.failNext({ kind: 'status', status: 500 }, { resource: 'customer' });
    qbo.failNext({ kind: 'fault', code: '6000', message: 'A business validation error has occurred' });

    const queried = await query('select * from Item');
    const failed = await request('customer', { body: { DisplayName: 'Acme Ltd' } });
    const created = await request('customer', { body: { DisplayName: 'Acme Ltd' } });

    expect(queried.status).toBe(400);
    expect(firstError(queried)).toMatchObject({ code: '6000' });
    expect(failed.status).toBe(500);
    expect(firstError(failed)).toMatchObject({ code: '10000' });
    expect(created.status).toBe(200);
    expect(qbo.customers()).toHaveLength(1);
  });
});
