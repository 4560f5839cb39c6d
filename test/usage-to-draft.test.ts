import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBillingPeriod, type BillingPeriod } from '../src/calendar/billing-period.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Usage in over real HTTP, a draft out: the path a metering system and a finance team share.

const TOKEN = 'usage-token-for-tests-0123456789abcdef';

describe('POST /api/usage → billing run', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ USAGE_API_TOKEN: TOKEN });
    const acme = await insertCustomer(test.app.deps.db, { external_id: 'acme' });
    await insertSubscription(test.app.deps.db, acme, { plan_code: 'starter' });
  });
  afterAll(async () => {
    await test.stop();
  });

  const send = (events: object[], token = TOKEN) =>
    fetch(`${test.app.url}/api/usage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });

  const events = [
    {
      event_id: 'evt_1',
      customer: 'acme',
      metric: 'api_calls',
      quantity: '20000',
      occurred_at: '2026-10-02T09:00:00Z',
    },
    {
      event_id: 'evt_2',
      customer: 'acme',
      metric: 'api_calls',
      quantity: 5000,
      occurred_at: '2026-10-09T09:00:00+02:00',
    },
  ];

  it('records a batch once, however often it is sent, and the run bills it once', async () => {
    const first = await send(events);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ recorded: 2, duplicates: 0 });
    const again = await send(events);
    expect(await again.json()).toEqual({ recorded: 0, duplicates: 2 });

    const result = await startBillingRun(test.app.deps, {
      period: parseBillingPeriod('2026-10') as BillingPeriod,
      scope: { customers: 'all' },
      trigger: 'api',
      startedBy: 'api:test',
    });
    // 49.00 + (25,000 − 10,000) × 0.002 = 79.00; VAT 15.80
    expect(result.ok && result.run.invoices.map((row) => [row.customerExternalId, row.total])).toEqual([
      ['acme', '94.80'],
    ]);
  });

  it('refuses a wrong token and records nothing', async () => {
    const response = await send([{ ...events[0], event_id: 'evt_3' }], 'x'.repeat(40));
    expect(response.status).toBe(401);
    const count = await test.app.deps.db.selectFrom('usage_records').select('event_id').execute();
    expect(count.map((row) => row.event_id).sort()).toEqual(['evt_1', 'evt_2']);
  });
});
