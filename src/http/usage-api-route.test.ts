import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { testCatalog } from '../intake/fixtures/catalog.ts';
import { importCustomers } from '../intake/import-customers.ts';
import { usageApiRoute } from './usage-api-route.ts';

const TOKEN = 'usage-token-0123456789abcdef';

interface Started {
  server: Server;
  url: string;
}

async function startServer(
  token: string | undefined,
  database: TestDatabase,
  logs: string[],
): Promise<Started> {
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
  const route = usageApiRoute({ db: database.db, token, logger });
  const server = createServer((request, response) => {
    if (request.url === route.path && request.method === 'POST') route.handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}${route.path}` };
}

function stopServer(started: Started): Promise<void> {
  started.server.closeAllConnections();
  return new Promise((resolve) => {
    started.server.close(() => {
      resolve();
    });
  });
}

const event = (eventId: string, overrides: Record<string, unknown> = {}) => ({
  event_id: eventId,
  customer: 'acme',
  metric: 'api_calls',
  quantity: '5',
  occurred_at: '2026-11-01T09:30:00Z',
  ...overrides,
});

describe('POST /api/usage', () => {
  let database: TestDatabase;
  let api: Started;
  let logs: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    await importCustomers(
      database.db,
      [{ row: 1, data: { external_id: 'acme', name: 'Acme', currency: 'EUR' } }],
      { catalog: testCatalog },
    );
    logs = [];
    api = await startServer(TOKEN, database, logs);
  });
  afterAll(async () => {
    await stopServer(api);
    await database.close();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('usage_records').execute();
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(api.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      body,
    });
  const recordedCount = async () =>
    (await database.db.selectFrom('usage_records').select('event_id').execute()).length;

  it('records a batch, then answers the same batch again with all duplicates', async () => {
    const body = JSON.stringify({ events: [event('evt_1'), event('evt_2', { quantity: 12.5 })] });
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ recorded: 2, duplicates: 0 });
    const again = await post(body);
    expect(await again.json()).toEqual({ recorded: 0, duplicates: 2 });
    const sources = await database.db.selectFrom('usage_records').select('source').distinct().execute();
    expect(sources).toEqual([{ source: 'api' }]);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token of the same length', `Bearer ${TOKEN.replace(/.$/, 'x')}`],
    ['a wrong token of another length', 'Bearer short'],
    ['another scheme', `Basic ${TOKEN}`],
  ])('answers 401 to %s, without logging the token', async (_case, authorization) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    const response = await fetch(api.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ events: [event('evt_1')] }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'Missing or wrong token: send the header "Authorization: Bearer <USAGE_API_TOKEN>".',
    });
    expect(await recordedCount()).toBe(0);
    expect(logs.join('\n')).not.toContain('short');
    expect(logs.join('\n')).not.toContain(TOKEN.slice(0, 12));
  });

  it('answers 415 to a body that is not JSON', async () => {
    const response = await post('event_id=evt_1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: 'Expected a JSON body with the header "Content-Type: application/json".',
    });
  });

  it('answers 400 naming the position of invalid JSON', async () => {
    const response = await post('{"events": [{"event_id": "evt_1",}]}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error:
        'The body is invalid JSON at line 1, column 34 (position 33): expected a property name in double quotes, found "}"',
      line: 1,
      column: 34,
      position: 33,
    });
  });

  it('answers 400 to JSON without an events list', async () => {
    const response = await post(JSON.stringify([event('evt_1')]));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'Expected a JSON object { "events": [ … ] } with a list of usage events.',
    });
  });

  it('answers 413 to a body over 1 MiB, and to more than 5,000 events', async () => {
    const tooBig = await post(JSON.stringify({ events: [], padding: 'x'.repeat(1024 * 1024) }));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toEqual({
      error: 'The body is over 1,048,576 bytes (1 MiB); send the events in smaller batches.',
    });

    const chunked = await fetch(api.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
        },
      }),
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);

    const many = Array.from({ length: 5001 }, (_, index) => ({ event_id: `e${index}` }));
    const tooMany = await post(JSON.stringify({ events: many }));
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toEqual({
      error: '5,001 events in one request; send at most 5,000 per request.',
      limit: 5000,
    });
    expect(await recordedCount()).toBe(0);
  });

  it('answers 422 with every problem by index and records nothing when one event is invalid', async () => {
    const response = await post(
      JSON.stringify({
        events: [
          event('evt_1'),
          event('evt_2', { occurred_at: '2026-11-01T09:30:00' }),
          event('evt_3', { quantity: 0 }),
        ],
      }).replace('"quantity":0', '"quantity":12345678901234567890'),
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: '2 of 3 events are invalid; nothing was recorded. Fix them and send the whole batch again.',
      problems: [
        {
          index: 1,
          field: 'occurred_at',
          message:
            'expected an ISO 8601 time with a UTC offset, such as 2026-11-01T09:30:00Z or 2026-11-01T10:30:00+01:00, got "2026-11-01T09:30:00", which has no offset and is ambiguous',
        },
        {
          index: 2,
          field: 'quantity',
          message:
            'expected a decimal number such as 12.5, got the JSON number 12345678901234567890, which has more than 15 significant digits and loses some as a JSON number; send it as a string: "12345678901234567890"',
        },
      ],
    });
    expect(await recordedCount()).toBe(0);
  });

  it('answers 422 to a 40-digit quantity and a customer id with a line break, recording nothing', async () => {
    const response = await post(
      JSON.stringify({
        events: [
          event('evt_1'),
          event('evt_2', { quantity: '1'.repeat(40) }),
          event('evt_3', { customer: 'ac\r\nme' }),
        ],
      }),
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: '2 of 3 events are invalid; nothing was recorded. Fix them and send the whole batch again.',
      problems: [
        {
          index: 1,
          field: 'quantity',
          message: expect.stringMatching(
            /^expected a decimal number such as 12\.5, got "1{40}", which is beyond 999,999,999,999,999, the largest quantity billops accepts/,
          ) as unknown,
        },
        {
          index: 2,
          field: 'customer',
          message: expect.stringMatching(
            /contains a line break \(CR\) at character 3; it must be one line/,
          ) as unknown,
        },
      ],
    });
    expect(await recordedCount()).toBe(0);
  });

  it('answers 400 to a body that is not UTF-8, naming the byte offset', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('{"events":[{"event_id":"evt_1","customer":"Zo'),
      Buffer.from([0xeb]),
      Buffer.from('","metric":"m","quantity":"1","occurred_at":"2026-11-01T09:30:00Z"}]}'),
    ]);
    const response = await post(latin1);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error:
        'The body is not valid UTF-8 (byte offset 45, counting from 0); send JSON encoded as UTF-8. Nothing was recorded.',
      position: 45,
    });
    expect(await recordedCount()).toBe(0);
  });

  it('answers 422 to an event id already recorded with other data, keeping the first record', async () => {
    await post(JSON.stringify({ events: [event('evt_9')] }));
    const response = await post(JSON.stringify({ events: [event('evt_9', { quantity: '6' })] }));
    expect(response.status).toBe(422);
    const message: unknown = expect.stringContaining('was already recorded with quantity 5');
    expect(await response.json()).toMatchObject({ problems: [{ index: 0, field: 'event_id', message }] });
  });
});

describe('POST /api/usage without USAGE_API_TOKEN', () => {
  it('answers 503 saying how to turn it on', async () => {
    const database = await createTestDatabase();
    const api = await startServer(undefined, database, []);
    try {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"events":[]}',
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: 'The usage API is off: set USAGE_API_TOKEN to enable it.',
      });
    } finally {
      await stopServer(api);
      await database.close();
    }
  });
});
