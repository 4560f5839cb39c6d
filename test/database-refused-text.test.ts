import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLASH_COMMAND } from '../blocks/ids.ts';
import { shopifySignature } from '../src/webhooks/shopify-webhook.ts';
import { usageSignature } from '../src/webhooks/usage-webhook.ts';
import { insertCustomer } from './support/billing-factories.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Text Postgres cannot store as sent (a NUL, an unpaired UTF-16 surrogate) and text too long for its
// field, at every edge: refused with a 4xx (or a Slack error) naming the field, never a 500 or a crash,
// and nothing written.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const TOKEN = 'refused-text-usage-token-0123456789';
const USAGE_SECRET = 'u'.repeat(40);
const SHOPIFY_SECRET = 'shpss_refused_text_secret';
const NUL = '\u0000';
const LONE_SURROGATE = '\ud83d';

let test: TestApp;
let dir: string;
const db = () => test.app.deps.db;

beforeAll(async () => {
  test = await startTestApp({
    USAGE_API_TOKEN: TOKEN,
    USAGE_WEBHOOK_SECRET: USAGE_SECRET,
    SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
  });
  dir = await mkdtemp(path.join(tmpdir(), 'billops-refused-text-'));
  await insertCustomer(db(), { external_id: 'acme' });
});
afterAll(async () => {
  await test.stop();
  await rm(dir, { recursive: true, force: true });
});

const usageRows = async () => (await db().selectFrom('usage_records').select('id').execute()).length;

function usageEvent(overrides: Record<string, unknown>) {
  return {
    event_id: 'evt-1',
    customer: 'acme',
    metric: 'api_calls',
    quantity: '5',
    occurred_at: '2026-10-15T10:00:00Z',
    ...overrides,
  };
}

const CASES: [string, Record<string, unknown>, RegExp][] = [
  ['a NUL in event_id', { event_id: `evt${NUL}1` }, /event_id.*NUL/],
  ['a NUL in a property value', { properties: { note: `a${NUL}b` } }, /properties.*note.*NUL/],
  ['a NUL in a property name', { properties: { [`no${NUL}te`]: 'x' } }, /properties.*property name.*NUL/],
  ['a lone surrogate in customer', { customer: `acme${LONE_SURROGATE}` }, /customer.*surrogate/],
  [
    'a lone surrogate deep in properties',
    { properties: { tags: ['ok', `cut ${LONE_SURROGATE}`] } },
    /properties.*tags\[1\].*surrogate/,
  ],
  ['an event id over 200 characters', { event_id: 'e'.repeat(201) }, /event id of at most 200 characters/],
];

describe('the usage API', () => {
  it.each(CASES)(
    'refuses %s with a 4xx naming the field, recording nothing',
    async (_name, overrides, message) => {
      const before = await usageRows();
      const response = await fetch(`${test.app.url}/api/usage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [usageEvent({ event_id: 'evt-ok' }), usageEvent(overrides)] }),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).toMatch(message);
      expect(await usageRows()).toBe(before);
    },
  );
});

describe('signed webhooks', () => {
  it('refuse a NUL or a lone surrogate anywhere in the JSON with 400 and its path', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const usage = JSON.stringify({ events: [usageEvent({ properties: { region: `eu${NUL}` } })] });
    const usageResponse = await fetch(`${test.app.url}/webhooks/usage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-billops-timestamp': timestamp,
        'x-billops-signature': usageSignature(USAGE_SECRET, timestamp, usage),
      },
      body: usage,
    });
    expect(usageResponse.status).toBe(400);
    expect(await usageResponse.json()).toMatchObject({
      error: 'invalid_text',
      field: 'events[0].properties.region',
    });

    const order = JSON.stringify({
      id: 450789470,
      name: '#1002',
      currency: 'GBP',
      created_at: '2026-11-20T09:12:00+00:00',
      customer: { id: 207119552, email: 'orders@teashop.example' },
      line_items: [{ title: `Mug ${LONE_SURROGATE}`, quantity: 1, price: '7.99' }],
    });
    const shopify = await fetch(`${test.app.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/fulfilled',
        'x-shopify-hmac-sha256': shopifySignature(SHOPIFY_SECRET, order),
        'x-shopify-event-id': 'evt-refused-text',
        'x-shopify-webhook-id': 'evt-refused-text',
      },
      body: order,
    });
    expect(shopify.status).toBe(400);
    const answer = (await shopify.json()) as { field: string; message: string };
    expect(answer.field).toBe('line_items[0].title');
    expect(answer.message).toMatch(/unpaired UTF-16 surrogate \(U\+D83D\)/);
    expect(await usageRows()).toBe(0);
    const orders = await db()
      .selectFrom('invoices')
      .select('id')
      .where('origin', 'like', 'shopify%')
      .execute();
    expect(orders).toEqual([]);
  });
});

describe('npm run import', () => {
  async function importFile(name: string, content: string) {
    const file = path.join(dir, name);
    await writeFile(file, content);
    try {
      await promisify(execFile)(TSX, ['scripts/import.ts', 'usage', file], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: test.databaseUrl,
          BILLING_CONFIG: 'billing.example.yml',
        },
      });
      return { code: 0, output: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
    }
  }

  it('refuses a NUL in a CSV cell or a JSON string with the row and field, importing nothing', async () => {
    const header = 'event_id,customer,metric,quantity,occurred_at,properties';
    const csv = await importFile(
      'usage.csv',
      `${header}\nevt-a,acme,api_calls,1,2026-10-15T10:00:00Z,\nevt${NUL}b,acme,api_calls,1,2026-10-15T10:00:00Z,\n`,
    );
    expect(csv.code).not.toBe(0);
    expect(csv.output).toMatch(/row 3, event_id: .*NUL character/);
    expect(csv.output).not.toMatch(/^\s+at /m);

    const json = await importFile(
      'usage.json',
      JSON.stringify([usageEvent({ event_id: 'evt-c', properties: { note: `x${NUL}` } })]),
    );
    expect(json.code).not.toBe(0);
    expect(json.output).toMatch(/properties.*note.*NUL/s);
    expect(json.output).not.toMatch(/^\s+at /m);
    expect(await usageRows()).toBe(0);
  });
});

describe('Slack', () => {
  it('answers a command with a NUL, or too long, with what to fix, and records nothing', async () => {
    const answers: string[] = [];
    for (const text of [`credit INV-1 all wrong${NUL} price here`, `void INV-1 ${'because '.repeat(200)}`]) {
      const reply = await test.slack.sendSlashCommand({
        userId: 'U0FINANCE',
        channelId: 'C0BILLING',
        command: SLASH_COMMAND,
        text,
      });
      expect(reply.status).toBe(200);
      answers.push(JSON.stringify(reply.body));
    }
    expect(answers[0]).toMatch(/NUL character \(U\+0000\) at character 23/);
    expect(answers[1]).toMatch(/has 1610 characters; keep it under 1100/);
    expect(await db().selectFrom('credit_notes').select('id').execute()).toEqual([]);
  });
});
