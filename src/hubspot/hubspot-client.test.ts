import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startLocalHubSpot, type DealSeed, type LocalHubSpot } from '../../test/fakes/hubspot/index.ts';
import { createHubSpotClient, type HubSpotClient } from './hubspot-client.ts';

let hubspot: LocalHubSpot;
let client: HubSpotClient;

beforeEach(async () => {
  hubspot = await startLocalHubSpot({ now: () => new Date('2026-03-02T10:15:00.000Z') });
  client = createHubSpotClient({ apiUrl: hubspot.url, accessToken: hubspot.accessToken, timeoutMs: 2_000 });
});

afterEach(async () => {
  await hubspot.stop();
});

const closedWonDeal: DealSeed = {
  name: 'Acme Ltd — onboarding',
  closedAt: '2026-03-01T16:50:06.678Z',
  currency: 'EUR',
  lines: [
    { name: 'Implementation', quantity: '1', price: '12000.00', sku: 'IMPL-01' },
    { name: 'Training day', quantity: '3', price: '1450.50', discount: '50.25' },
    { name: 'Seats', quantity: '1.5', price: '0.10' },
  ],
  company: { name: 'Acme Ltd', domain: 'acme.example' },
  contact: { email: 'ap@acme.example', firstName: 'Ada' },
};

describe('fetchClosedDeal', () => {
  it('reads a closed-won deal with its three line items as the strings HubSpot holds', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result).toEqual({
      ok: true,
      deal: {
        id: seeded.dealId,
        name: 'Acme Ltd — onboarding',
        stage: 'closedwon',
        closedAt: '2026-03-01T16:50:06.678Z',
        currency: 'EUR',
        companyId: seeded.companyId,
        contactEmail: 'ap@acme.example',
        lines: [
          {
            id: seeded.lineItemIds[0],
            name: 'Implementation',
            quantity: '1',
            price: '12000.00',
            sku: 'IMPL-01',
          },
          {
            id: seeded.lineItemIds[1],
            name: 'Training day',
            quantity: '3',
            price: '1450.50',
            discount: '50.25',
          },
          { id: seeded.lineItemIds[2], name: 'Seats', quantity: '1.5', price: '0.10' },
        ],
      },
    });
  });

  it('asks HubSpot for the deal, one batch of line items, then the contact, at the documented paths', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);

    await client.fetchClosedDeal(seeded.dealId);

    expect(hubspot.calls().map((call) => `${call.method} ${decodeURIComponent(call.path)}`)).toEqual([
      `GET /crm/v3/objects/deals/${seeded.dealId}?properties=dealname,dealstage,closedate,deal_currency_code&associations=line_items,companies,contacts`,
      'POST /crm/v3/objects/line_items/batch/read',
      `GET /crm/v3/objects/contacts/${seeded.contactId ?? ''}?properties=email`,
    ]);
  });

  it('reads a deal without company, contact or line items', async () => {
    const seeded = hubspot.addDeal({ name: 'Empty deal' });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result).toEqual({
      ok: true,
      deal: {
        id: seeded.dealId,
        name: 'Empty deal',
        stage: 'closedwon',
        closedAt: '2026-03-02T10:15:00.000Z',
        currency: 'USD',
        lines: [],
      },
    });
    expect(hubspot.calls()).toHaveLength(1);
  });

  it('takes the primary company when the deal has several', async () => {
    const seeded = hubspot.addDeal({ ...closedWonDeal, otherCompanies: [{ name: 'Acme Holdings' }] });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(seeded.otherCompanyIds).toHaveLength(1);
    expect(result).toMatchObject({ ok: true, deal: { companyId: seeded.companyId } });
  });

  it('reports the stage as HubSpot has it, without judging it', async () => {
    const seeded = hubspot.addDeal({ ...closedWonDeal, stage: 'contractsent' });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result).toMatchObject({ ok: true, deal: { stage: 'contractsent' } });
  });

  it('refuses a wrong token as unauthorized, not worth retrying, pointing at the private app token', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);
    const stranger = createHubSpotClient({ apiUrl: hubspot.url, accessToken: 'pat-na1-not-the-token' });

    const result = await stranger.fetchClosedDeal(seeded.dealId);

    expect(result).toMatchObject({ ok: false, retryable: false, code: 'unauthorized' });
    expect(result.ok ? '' : result.message).toMatch(/HUBSPOT_ACCESS_TOKEN/);
  });

  it('reports a HubSpot 500 as retryable, and reads the deal when tried again', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);
    hubspot.failNext({ status: 500 });

    const first = await client.fetchClosedDeal(seeded.dealId);
    const second = await client.fetchClosedDeal(seeded.dealId);

    expect(first).toMatchObject({ ok: false, retryable: true, code: 'server_error' });
    expect(second).toMatchObject({ ok: true, deal: { id: seeded.dealId } });
  });

  it('reports a failure on the line item read as the failure of the whole fetch', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);
    hubspot.failNext({ status: 503, resource: 'line_items' });

    expect(await client.fetchClosedDeal(seeded.dealId)).toMatchObject({
      ok: false,
      retryable: true,
      code: 'server_error',
    });
  });

  it('reports a deal HubSpot does not have as not_found, not worth retrying', async () => {
    const result = await client.fetchClosedDeal('99999999999');

    expect(result).toMatchObject({ ok: false, retryable: false, code: 'not_found' });
  });

  it('refuses an id that is not a HubSpot id without calling HubSpot', async () => {
    expect(await client.fetchClosedDeal('../contacts/1')).toMatchObject({ ok: false, code: 'not_found' });
    expect(hubspot.calls()).toEqual([]);
  });

  it('reports rate limiting as retryable with the Retry-After HubSpot sent', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);
    hubspot.failNext({ status: 429, retryAfterSeconds: 10 });

    expect(await client.fetchClosedDeal(seeded.dealId)).toMatchObject({
      ok: false,
      retryable: true,
      code: 'rate_limited',
      retryAfterSeconds: 10,
    });
  });

  it('reports a lost connection and a timeout as retryable', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);
    hubspot.failNext({ status: 'connection_reset' });
    expect(await client.fetchClosedDeal(seeded.dealId)).toMatchObject({
      ok: false,
      retryable: true,
      code: 'connection_failed',
    });

    hubspot.failNext({ status: 'hang' });
    const impatient = createHubSpotClient({
      apiUrl: hubspot.url,
      accessToken: hubspot.accessToken,
      timeoutMs: 100,
    });
    expect(await impatient.fetchClosedDeal(seeded.dealId)).toMatchObject({
      ok: false,
      retryable: true,
      code: 'timeout',
    });
  });

  it('reports a line item gone between the two reads as an incomplete deal', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);
    const gone = seeded.lineItemIds[1] ?? '';
    hubspot.deleteRecord('line_items', gone, { leaveAssociations: true });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result).toMatchObject({ ok: false, retryable: false, code: 'incomplete_deal' });
    expect(result.ok ? '' : result.message).toContain(gone);
  });

  it('names what a deal lacks before it can be invoiced', async () => {
    const seeded = hubspot.addDeal({ ...closedWonDeal, currency: null });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result).toMatchObject({ ok: false, retryable: false, code: 'incomplete_deal' });
    expect(result.ok ? '' : result.message).toContain('deal_currency_code');
  });

  it('refuses a line item whose price is not a number', async () => {
    const seeded = hubspot.addDeal({
      ...closedWonDeal,
      lines: [{ name: 'Odd', quantity: '1', price: '12,000.00' }],
    });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result).toMatchObject({ ok: false, code: 'incomplete_deal' });
    expect(result.ok ? '' : result.message).toContain('12,000.00');
  });

  it('reads more than 100 line items in batches of 100, keeping the deal order', async () => {
    const lines = Array.from({ length: 150 }, (_, index) => ({
      name: `Line ${index + 1}`,
      quantity: '1',
      price: `${index + 1}.00`,
    }));
    const seeded = hubspot.addDeal({ ...closedWonDeal, lines });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result.ok ? result.deal.lines.map((line) => line.price) : []).toEqual(
      lines.map((line) => line.price),
    );
    expect(hubspot.calls().filter((call) => call.resource === 'line_items')).toHaveLength(2);
  });

  it('leaves the email out when the contact went between the reads', async () => {
    const seeded = hubspot.addDeal(closedWonDeal);
    hubspot.deleteRecord('contacts', seeded.contactId ?? '', { leaveAssociations: true });

    const result = await client.fetchClosedDeal(seeded.dealId);

    expect(result.ok).toBe(true);
    expect(result.ok ? result.deal : undefined).not.toHaveProperty('contactEmail');
  });
});
