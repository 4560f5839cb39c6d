import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { usageSignature } from '../src/webhooks/usage-webhook.ts';
import { xeroSignature } from '../src/webhooks/xero-webhook.ts';
import { insertCustomer } from './support/billing-factories.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Signed webhooks over real HTTP into the running app: every signature case, size and JSON errors,
// redeliveries that change nothing, and one alert for repeated refusals.

const USAGE_SECRET = 'u'.repeat(40);
const OLD_USAGE_SECRET = 'o'.repeat(40);
const XERO_KEY = 'xero-webhook-key-0123456789';
let test: TestApp;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
const db = () => test.app.deps.db;

beforeAll(async () => {
  test = await startTestApp({
    USAGE_WEBHOOK_SECRET: `${USAGE_SECRET},${OLD_USAGE_SECRET}`,
    XERO_WEBHOOK_KEY: XERO_KEY,
  });
  await insertCustomer(db(), { external_id: 'acme' });
});
afterAll(async () => {
  await test.stop();
});

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

function usageBody(eventId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    events: [
      {
        event_id: eventId,
        customer: 'acme',
        metric: 'api_calls',
        quantity: '12',
        occurred_at: '2026-10-15T10:00:00Z',
      },
    ],
    ...extra,
  });
}

async function postUsage(
  body: string,
  headers: { timestamp?: string; signature?: string | null; secret?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const timestamp = headers.timestamp ?? nowSeconds();
  const signature =
    headers.signature === undefined
      ? usageSignature(headers.secret ?? USAGE_SECRET, timestamp, body)
      : headers.signature;
  const response = await fetch(`${test.app.url}/webhooks/usage`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-billops-timestamp': timestamp,
      ...(signature === null ? {} : { 'x-billops-signature': signature }),
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function usageCount(eventId: string): Promise<number> {
  const rows = await db().selectFrom('usage_records').select('id').where('event_id', '=', eventId).execute();
  return rows.length;
}

describe('POST /webhooks/usage signatures', () => {
  it('records a correctly signed batch, with either secret while one is rotated', async () => {
    expect(await postUsage(usageBody('evt-valid'))).toMatchObject({ status: 200, json: { recorded: 1 } });
    expect(await postUsage(usageBody('evt-old-secret'), { secret: OLD_USAGE_SECRET })).toMatchObject({
      status: 200,
    });
    expect(await usageCount('evt-valid')).toBe(1);
  });

  it.each([
    ['a missing signature', { signature: null }, 'missing_signature'],
    ['a wrong secret', { secret: 'w'.repeat(40) }, 'bad_signature'],
    ['a wrong-length signature', { signature: 'v1=abcd' }, 'bad_signature'],
    ['a signature that is not hex', { signature: `v1=${'z'.repeat(64)}` }, 'bad_signature'],
    ['a stale timestamp', { timestamp: String(Math.floor(Date.now() / 1000) - 600) }, 'stale_timestamp'],
    ['a future timestamp', { timestamp: String(Math.floor(Date.now() / 1000) + 600) }, 'future_timestamp'],
    ['no timestamp', { timestamp: 'yesterday' }, 'missing_timestamp'],
  ] as const)('refuses %s with 401 and records nothing', async (_name, headers, problem) => {
    const eventId = `evt-refused-${problem}-${Math.random()}`;
    const reply = await postUsage(usageBody(eventId), headers);
    expect(reply).toMatchObject({ status: 401, json: { error: problem } });
    expect(await usageCount(eventId)).toBe(0);
  });

  it('refuses a body re-serialised after signing', async () => {
    const body = usageBody('evt-reserialised');
    const timestamp = nowSeconds();
    const signature = usageSignature(USAGE_SECRET, timestamp, body);
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect(await postUsage(reformatted, { timestamp, signature })).toMatchObject({ status: 401 });
    expect(await usageCount('evt-reserialised')).toBe(0);
  });

  it('answers a replay inside the window without a second effect', async () => {
    const body = usageBody('evt-replayed');
    const timestamp = nowSeconds();
    const signature = usageSignature(USAGE_SECRET, timestamp, body);
    for (let delivery = 0; delivery < 3; delivery += 1) {
      expect((await postUsage(body, { timestamp, signature })).status).toBe(200);
    }
    expect(await usageCount('evt-replayed')).toBe(1);
  });

  it('refuses an oversized body with 413 and malformed JSON with a 400 that says where', async () => {
    const huge = JSON.stringify({ events: [], padding: 'x'.repeat(1024 * 1024 + 10) });
    expect((await postUsage(huge)).status).toBe(413);
    const broken = '{"events": [ {"event_id": "e1",, } ]}';
    const reply = await postUsage(broken);
    expect(reply).toMatchObject({ status: 400, json: { error: 'invalid_json', line: 1 } });
  });

  it('refuses a bad event with 422 naming it, and a bad run instruction with 400, recording nothing', async () => {
    const bad = JSON.stringify({ events: [{ event_id: 'evt-bad', customer: 'acme', metric: 'api_calls' }] });
    const reply = await postUsage(bad);
    expect(reply.status).toBe(422);
    expect(JSON.stringify(reply.json)).toContain('quantity');
    const badRun = await postUsage(usageBody('evt-bad-run', { run: { period: '2026-13' } }));
    expect(badRun).toMatchObject({ status: 400, json: { error: 'invalid_run' } });
    expect(await usageCount('evt-bad-run')).toBe(0);
  });

  it('raises one alert, not one per request, when refusals repeat', async () => {
    // With the refusals above, far more than enough to alert: still exactly one alert.
    for (let attempt = 0; attempt < 12; attempt += 1) {
      await postUsage(usageBody(`evt-probe-${attempt}`), { secret: 'p'.repeat(40) });
    }
    await eventually(() => {
      const alerts = test.slack
        .messages('C0ALERTS')
        .filter((message) => message.text.includes('/webhooks/usage'));
      expect(alerts).toHaveLength(1);
    });
    const alert = test.slack.messages('C0ALERTS').find((message) => message.text.includes('/webhooks/usage'));
    expect(alert?.text).toContain('USAGE_WEBHOOK_SECRET');
  });
});

describe('POST /webhooks/usage run instruction', () => {
  it('asks for the billing run once, however often "usage complete" is delivered', async () => {
    for (let delivery = 0; delivery < 3; delivery += 1) {
      const reply = await postUsage(
        usageBody(`evt-run-${delivery}`, { run: { period: '2026-10', customers: ['acme'] } }),
      );
      expect(reply.status).toBe(200);
      expect(reply.json.run).toBe(delivery === 0 ? 'queued' : 'already_requested');
    }
    await eventually(async () => {
      const runs = await db()
        .selectFrom('billing_runs')
        .select(['trigger', 'started_by'])
        .where('period_start', '=', '2026-10-01')
        .execute();
      expect(runs).toEqual([{ trigger: 'webhook', started_by: 'webhook:usage' }]);
    });
  });

  it('refuses a run for a period that has not ended, recording nothing, unless forced', async () => {
    const refused = await postUsage(usageBody('evt-run-future', { run: { period: '2099-07' } }));
    expect(refused).toEqual({
      status: 422,
      json: {
        error: 'period_not_ended',
        message:
          'run.period: July 2099 has not ended: it ends on 2099-07-31 (Europe/London), so usage recorded after now would not be billed. Nothing was recorded: send the run instruction after 2099-07-31, or with "force": true to draft it anyway.',
      },
    });
    expect(await usageCount('evt-run-future')).toBe(0);

    const forced = await postUsage(
      usageBody('evt-run-future', { run: { period: '2099-07', customers: ['acme'], force: true } }),
    );
    expect(forced).toMatchObject({ status: 200, json: { recorded: 1, run: 'queued' } });
    await eventually(async () => {
      const runs = await db()
        .selectFrom('billing_runs')
        .select('trigger')
        .where('period_start', '=', '2099-07-01')
        .execute();
      expect(runs).toEqual([{ trigger: 'webhook' }]);
    });
  });
});

describe('POST /webhooks/xero', () => {
  async function postXero(body: string, signature = xeroSignature(XERO_KEY, body)) {
    return fetch(`${test.app.url}/webhooks/xero`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-xero-signature': signature },
      body,
    });
  }

  it("passes Xero's intent-to-receive check: 200 when signed with the key, 401 when not", async () => {
    const intent = JSON.stringify({
      events: [],
      firstEventSequence: 0,
      lastEventSequence: 0,
      entropy: 'ABCDEF',
    });
    expect((await postXero(intent)).status).toBe(200);
    expect((await postXero(intent, xeroSignature('another-key', intent))).status).toBe(401);
    expect((await postXero(intent, 'short')).status).toBe(401);
  });

  it('records an invoice event once, however often it is delivered', async () => {
    const body = JSON.stringify({
      events: [
        {
          resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/5b4e1e7c-0d8b-4b3b-9f4c-000000000001',
          resourceId: '5b4e1e7c-0d8b-4b3b-9f4c-000000000001',
          eventDateUtc: '2026-11-20T10:15:39.902',
          eventType: 'UPDATE',
          eventCategory: 'INVOICE',
          tenantId: '3f9a1c52-7d4e-4b8a-9c61-0e5b2d7f8a10',
          tenantType: 'ORGANISATION',
        },
        {
          resourceId: 'c0ffee00-0000-4000-8000-000000000002',
          eventDateUtc: '2026-11-20T10:16:00.000',
          eventType: 'CREATE',
          eventCategory: 'CONTACT',
          tenantId: '3f9a1c52-7d4e-4b8a-9c61-0e5b2d7f8a10',
        },
      ],
      firstEventSequence: 1,
      lastEventSequence: 2,
      entropy: 'XYZ',
    });
    const replies = [];
    for (let delivery = 0; delivery < 3; delivery += 1) replies.push(await (await postXero(body)).json());
    expect(replies[0]).toEqual({ recorded: 1, duplicates: 0, ignored: 1 });
    expect(replies[2]).toEqual({ recorded: 0, duplicates: 1, ignored: 1 });
    const events = await db().selectFrom('erp_events').selectAll().execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ category: 'INVOICE', event_type: 'UPDATE', provider: 'xero' });
    expect(events[0]?.occurred_at.toISOString()).toBe('2026-11-20T10:15:39.902Z');
  });

  it('answers a webhook whose secret is not set with 404 naming the variable', async () => {
    const response = await fetch(`${test.app.url}/webhooks/hubspot`, { method: 'POST', body: '[]' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      message: 'This webhook is off: set HUBSPOT_CLIENT_SECRET to enable it.',
    });
  });
});
