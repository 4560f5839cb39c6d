import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  signedDealWebhook,
  dealStageChangeEvent,
  startLocalHubSpot,
  type LocalHubSpot,
} from './fakes/hubspot/index.ts';
import { shopifySignature } from '../src/webhooks/shopify-webhook.ts';
import { insertCustomer } from './support/billing-factories.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Orders from outside become one-off drafts: a fulfilled Shopify order and a closed-won HubSpot deal,
// each over real signed HTTP into the app, drafted once however often the webhook is delivered.

const SHOPIFY_SECRET = 'shpss_local_test_secret';
const HUBSPOT_SECRET = 'hubspot-client-secret-for-tests';
let test: TestApp;
let hubspot: LocalHubSpot;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
const db = () => test.app.deps.db;

beforeAll(async () => {
  hubspot = await startLocalHubSpot();
  test = await startTestApp({
    SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
    HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET,
    HUBSPOT_ACCESS_TOKEN: hubspot.accessToken,
    HUBSPOT_API_URL: hubspot.url,
  });
  await insertCustomer(db(), {
    external_id: 'teashop',
    name: 'Tea Shop Ltd',
    email_to: ['orders@teashop.example'],
  });
  await insertCustomer(db(), {
    external_id: 'hubspot:9001',
    name: 'Globex Ltd',
    email_to: ['ap@globex.example'],
  });
});
afterAll(async () => {
  await test.stop();
  await hubspot.stop();
});

async function invoicesFrom(origin: string) {
  return db()
    .selectFrom('invoices')
    .select(['id', 'status', 'currency', 'subtotal', 'discount_total', 'tax_total', 'total'])
    .where('origin', '=', origin)
    .execute();
}

async function linesOf(invoiceId: string) {
  return db()
    .selectFrom('invoice_lines')
    .select(['description', 'quantity', 'amount', 'discount_amount', 'tax_amount'])
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
}

const fulfilledOrder = JSON.stringify({
  id: 450789469,
  name: '#1001',
  currency: 'GBP',
  created_at: '2026-11-20T09:12:00+00:00',
  processed_at: '2026-11-20T09:12:00+00:00',
  taxes_included: false,
  email: 'orders@teashop.example',
  customer: { id: 207119551, email: 'orders@teashop.example', first_name: 'Tea', last_name: 'Shop' },
  line_items: [
    {
      title: 'Enamel mug',
      variant_title: 'Blue',
      quantity: 3,
      price: '7.99',
      total_discount: '0.00',
      sku: 'MUG-B',
    },
    {
      title: 'Tea towel',
      variant_title: null,
      quantity: 1,
      price: '12.50',
      total_discount: '2.50',
      sku: 'TOWEL',
    },
  ],
});

async function postShopify(
  body: string,
  eventId: string,
  signature = shopifySignature(SHOPIFY_SECRET, body),
) {
  return fetch(`${test.app.url}/webhooks/shopify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/fulfilled',
      'x-shopify-hmac-sha256': signature,
      'x-shopify-event-id': eventId,
      'x-shopify-webhook-id': eventId,
    },
    body,
  });
}

describe('POST /webhooks/shopify', () => {
  it('drafts one invoice with the order lines, however often the order is delivered', async () => {
    for (let delivery = 0; delivery < 3; delivery += 1) {
      expect((await postShopify(fulfilledOrder, 'evt-order-1001')).status).toBe(200);
    }
    const [invoice, ...others] = await eventually(async () => {
      const found = await invoicesFrom('shopify:order:450789469');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(others).toEqual([]);
    // 3 × 7.99 + 12.50 = 36.47; 2.50 off the towel; VAT 20% on 23.97 (4.79) and on 10.00 (2.00).
    expect(invoice).toMatchObject({
      currency: 'GBP',
      subtotal: '36.47',
      discount_total: '2.50',
      tax_total: '6.79',
      total: '40.76',
    });
    expect(await linesOf(invoice?.id ?? '')).toEqual([
      {
        description: 'Enamel mug (Blue)',
        quantity: '3',
        amount: '23.97',
        discount_amount: '0.00',
        tax_amount: '4.79',
      },
      {
        description: 'Tea towel',
        quantity: '1',
        amount: '12.50',
        discount_amount: '2.50',
        tax_amount: '2.00',
      },
    ]);
    // The same order under a new delivery id (Shopify re-sent it) is still one invoice.
    expect((await postShopify(fulfilledOrder, 'evt-order-1001-again')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await invoicesFrom('shopify:order:450789469')).toHaveLength(1);
  });

  it('refuses a wrong signature with 401 and acknowledges other topics without acting', async () => {
    expect(
      (await postShopify(fulfilledOrder, 'evt-forged', shopifySignature('not-the-secret', fulfilledOrder)))
        .status,
    ).toBe(401);
    const created = await fetch(`${test.app.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-hmac-sha256': shopifySignature(SHOPIFY_SECRET, fulfilledOrder),
        'x-shopify-event-id': 'evt-create',
      },
      body: fulfilledOrder,
    });
    expect(await created.json()).toEqual({ ignored: 'orders/create' });
  });

  it('answers an order it cannot read with 400 naming the field', async () => {
    const bad = JSON.stringify({
      ...JSON.parse(fulfilledOrder),
      line_items: [{ title: 'Mug', quantity: 1, price: 7.99 }],
    });
    const response = await postShopify(bad, 'evt-bad-order');
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('price');
  });
});

describe('POST /webhooks/hubspot', () => {
  const url = () => `${test.app.deps.config.publicUrl}/webhooks/hubspot`;

  async function postHubSpot(webhook: { headers: Record<string, string>; body: string }) {
    return fetch(`${test.app.url}/webhooks/hubspot`, {
      method: 'POST',
      headers: webhook.headers,
      body: webhook.body,
    });
  }

  it('drafts a closed-won deal from its line items once, and refuses bad signatures', async () => {
    const seeded = hubspot.addDeal({
      name: 'Globex annual licence',
      currency: 'GBP',
      closedAt: '2026-11-19T16:00:00Z',
      company: { id: '9001', name: 'Globex Ltd' },
      contact: { email: 'ap@globex.example' },
      lines: [
        { name: 'Licence', quantity: '2', price: '1200.00' },
        { name: 'Onboarding', quantity: '1', price: '500.00' },
      ],
    });
    const webhook = signedDealWebhook({
      clientSecret: HUBSPOT_SECRET,
      url: url(),
      events: [dealStageChangeEvent({ dealId: seeded.dealId })],
    });
    for (let delivery = 0; delivery < 3; delivery += 1) expect((await postHubSpot(webhook)).status).toBe(200);

    const [invoice] = await eventually(async () => {
      const found = await invoicesFrom(`hubspot:deal:${seeded.dealId}`);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(invoice).toMatchObject({ subtotal: '2900.00', tax_total: '580.00', total: '3480.00' });
    expect((await linesOf(invoice?.id ?? '')).map((line) => line.description)).toEqual([
      'Licence',
      'Onboarding',
    ]);

    const forged = signedDealWebhook({
      clientSecret: 'wrong',
      url: url(),
      events: [dealStageChangeEvent({ dealId: seeded.dealId })],
    });
    expect((await postHubSpot(forged)).status).toBe(401);
    const stale = signedDealWebhook({
      clientSecret: HUBSPOT_SECRET,
      url: url(),
      events: [dealStageChangeEvent({ dealId: seeded.dealId })],
      timestamp: new Date(Date.now() - 10 * 60_000),
    });
    const refused = await postHubSpot(stale);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'stale_timestamp' });
  });

  it('acknowledges deal changes that are not closed-won without drafting', async () => {
    const seeded = hubspot.addDeal({ name: 'Still talking', stage: 'appointmentscheduled', currency: 'GBP' });
    const webhook = signedDealWebhook({
      clientSecret: HUBSPOT_SECRET,
      url: url(),
      events: [dealStageChangeEvent({ dealId: seeded.dealId, propertyValue: 'appointmentscheduled' })],
    });
    const response = await postHubSpot(webhook);
    expect(await response.json()).toEqual({ queued: 0, duplicates: 0, ignored: 1 });
  });
});
