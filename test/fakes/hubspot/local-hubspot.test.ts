import { createHash } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dealStageChangeEvent, signedDealWebhook, startLocalHubSpot, type LocalHubSpot } from './index.ts';

// The local server's own behaviour over plain HTTP: HubSpot's paths, shapes and errors.

let hubspot: LocalHubSpot;

beforeEach(async () => {
  hubspot = await startLocalHubSpot({ now: () => new Date('2026-03-02T10:15:00.000Z') });
});

afterEach(async () => {
  await hubspot.stop();
});

interface Reply {
  status: number;
  text: string;
  body: unknown;
}

async function call(path: string, init: { body?: unknown; token?: string } = {}): Promise<Reply> {
  const response = await fetch(`${hubspot.url}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${init.token ?? hubspot.accessToken}`,
      'content-type': 'application/json',
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function seedDeal() {
  return hubspot.addDeal({
    name: 'Acme renewal',
    closedAt: '2026-03-01T00:00:00.000Z',
    currency: 'GBP',
    lines: [
      { name: 'Licence', quantity: '2', price: '500.00', sku: 'LIC' },
      { name: 'Support', quantity: '1', price: '99.99' },
    ],
    company: { name: 'Acme Ltd' },
    contact: { email: 'ap@acme.example' },
  });
}

describe('GET /crm/v3/objects/deals/{id}', () => {
  it('answers the requested properties as strings and the associations under their v3 keys', async () => {
    const seeded = seedDeal();

    const reply = await call(
      `/crm/v3/objects/deals/${seeded.dealId}?properties=dealname,dealstage,closedate,deal_currency_code,hs_nonexistent&associations=line_items,companies,contacts`,
    );

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      id: seeded.dealId,
      properties: {
        closedate: '2026-03-01T00:00:00.000Z',
        createdate: '2026-03-02T10:15:00.000Z',
        deal_currency_code: 'GBP',
        dealname: 'Acme renewal',
        dealstage: 'closedwon',
        hs_lastmodifieddate: '2026-03-02T10:15:00.000Z',
        hs_object_id: seeded.dealId,
      },
      createdAt: '2026-03-02T10:15:00.000Z',
      updatedAt: '2026-03-02T10:15:00.000Z',
      archived: false,
      associations: {
        'line items': {
          results: seeded.lineItemIds.map((id) => ({ id, type: 'deal_to_line_item' })),
        },
        companies: {
          results: [
            { id: seeded.companyId, type: 'deal_to_company' },
            { id: seeded.companyId, type: 'deal_to_company_unlabeled' },
          ],
        },
        contacts: { results: [{ id: seeded.contactId, type: 'deal_to_contact' }] },
      },
    });
    expect(seeded.dealId).toMatch(/^\d+$/);
  });

  it('lists other companies unlabelled, and the primary one both labelled and unlabelled', async () => {
    const seeded = hubspot.addDeal({
      name: 'Group deal',
      company: { name: 'Acme Ltd' },
      otherCompanies: [{ name: 'Acme Holdings' }],
    });

    const reply = await call(`/crm/v3/objects/deals/${seeded.dealId}?associations=companies`);

    expect(reply.body).toMatchObject({
      associations: {
        companies: {
          results: [
            { id: seeded.otherCompanyIds[0], type: 'deal_to_company_unlabeled' },
            { id: seeded.companyId, type: 'deal_to_company' },
            { id: seeded.companyId, type: 'deal_to_company_unlabeled' },
          ],
        },
      },
    });
  });

  it('leaves out associations there are none of, and the key entirely when there are none at all', async () => {
    const seeded = hubspot.addDeal({ name: 'Bare' });

    const reply = await call(`/crm/v3/objects/deals/${seeded.dealId}?associations=line_items`);

    expect(reply.body).not.toHaveProperty('associations');
    expect(reply.body).toMatchObject({ properties: { dealname: 'Bare', pipeline: 'default', amount: null } });
  });

  it('answers 404 with no body for a deal it does not have', async () => {
    const reply = await call('/crm/v3/objects/deals/123');

    expect(reply).toEqual({ status: 404, text: '', body: undefined });
  });

  it("refuses a wrong token with 401 in HubSpot's error format", async () => {
    const seeded = seedDeal();

    const reply = await call(`/crm/v3/objects/deals/${seeded.dealId}`, { token: 'pat-na1-wrong' });

    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      status: 'error',
      message: expect.stringContaining('Authentication credentials not found') as unknown,
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      category: 'INVALID_AUTHENTICATION',
    });
    expect(hubspot.calls()).toMatchObject([{ authorized: false, status: 401, resource: 'deals' }]);
  });
});

describe('POST /crm/v3/objects/line_items/batch/read', () => {
  it('answers COMPLETE with the line items and the properties asked for', async () => {
    const seeded = seedDeal();

    const reply = await call('/crm/v3/objects/line_items/batch/read', {
      body: {
        properties: ['name', 'quantity', 'price', 'hs_sku', 'discount'],
        propertiesWithHistory: [],
        inputs: seeded.lineItemIds.map((id) => ({ id })),
      },
    });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'COMPLETE',
      results: [
        {
          id: seeded.lineItemIds[0],
          properties: { name: 'Licence', quantity: '2', price: '500.00', hs_sku: 'LIC', discount: null },
        },
        {
          id: seeded.lineItemIds[1],
          properties: { name: 'Support', quantity: '1', price: '99.99', hs_sku: null, discount: null },
        },
      ],
      startedAt: '2026-03-02T10:15:00.000Z',
      completedAt: '2026-03-02T10:15:00.000Z',
    });
  });

  it('answers 207 with the ids it could not find', async () => {
    const seeded = seedDeal();

    const reply = await call('/crm/v3/objects/line_items/batch/read', {
      body: { properties: ['name'], inputs: [{ id: seeded.lineItemIds[0] }, { id: '404' }] },
    });

    expect(reply.status).toBe(207);
    expect(reply.body).toMatchObject({
      status: 'COMPLETE',
      results: [{ id: seeded.lineItemIds[0] }],
      numErrors: 1,
      errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['404'] } }],
    });
  });

  it('refuses more than 100 inputs, and a body without inputs', async () => {
    const many = Array.from({ length: 101 }, (_, index) => ({ id: String(index + 1) }));

    expect(await call('/crm/v3/objects/line_items/batch/read', { body: { inputs: many } })).toMatchObject({
      status: 400,
      body: { status: 'error', category: 'VALIDATION_ERROR' },
    });
    expect(await call('/crm/v3/objects/line_items/batch/read', { body: { ids: ['1'] } })).toMatchObject({
      status: 400,
      body: { category: 'VALIDATION_ERROR' },
    });
  });
});

describe('failNext', () => {
  it('fails the given number of matching calls, then answers again', async () => {
    const seeded = seedDeal();
    hubspot.failNext({ status: 502, times: 2, resource: 'deals' });

    const contact = await call(`/crm/v3/objects/contacts/${seeded.contactId ?? ''}?properties=email`);
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await call(`/crm/v3/objects/deals/${seeded.dealId}`)).status);
    }

    expect(contact).toMatchObject({ status: 200, body: { properties: { email: 'ap@acme.example' } } });
    expect(statuses).toEqual([502, 502, 200]);
    expect(hubspot.calls().map((entry) => entry.injected)).toEqual([undefined, 502, 502, undefined]);
  });

  it('answers an injected 429 with the rate-limit body and Retry-After', async () => {
    hubspot.failNext({ status: 429, retryAfterSeconds: 3 });

    const response = await fetch(`${hubspot.url}/crm/v3/objects/deals/1`, {
      headers: { authorization: `Bearer ${hubspot.accessToken}` },
    });

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  });
});

describe('signedDealWebhook', () => {
  it("builds HubSpot's deal.propertyChange array with v3 and v1 signature headers", () => {
    const event = dealStageChangeEvent({ dealId: '21000000001', occurredAt: 1_767_225_600_000 });
    const request = signedDealWebhook({
      clientSecret: 'secret',
      url: 'https://billops.example.com/webhooks/hubspot',
      events: [event],
      timestamp: new Date(1_767_225_600_500),
    });

    expect(JSON.parse(request.body)).toEqual([
      {
        eventId: expect.any(Number) as unknown,
        subscriptionId: expect.any(Number) as unknown,
        portalId: hubspot.portalId,
        appId: expect.any(Number) as unknown,
        occurredAt: 1_767_225_600_000,
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
        objectId: 21000000001,
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
        changeSource: 'CRM',
      },
    ]);
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': '1767225600500',
      'x-hubspot-signature-v3': expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) as unknown,
      'x-hubspot-signature-version': 'v1',
      'x-hubspot-signature': createHash('sha256').update(`secret${request.body}`).digest('hex'),
    });
  });
});
