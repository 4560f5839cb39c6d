import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/start-test-app.ts';
import type { WorkspaceSnapshot } from './workspace-snapshot.ts';

// The page's HTTP side, without a browser: what it serves, who it answers, and that every action is a
// person's request through the local Slack into /slack/events. test/browser drives it in Chromium.

let test: TestApp;

const url = (path: string) => `${test.app.url}${path}`;

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function stateOf(userId: string): Promise<WorkspaceSnapshot> {
  const response = await fetch(url(`/local/state?user=${userId}`));
  expect(response.status).toBe(200);
  return (await response.json()) as WorkspaceSnapshot;
}

/** A GET with headers fetch() will not let us set (Host). */
function rawGet(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url(path), { headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

/** Reads server-sent events until `until` returns true for one, or the stream ends. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  until: (event: { name: string; data: string }) => boolean,
): Promise<{ name: string; data: string }[]> {
  const events: { name: string; data: string }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return events;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const name = /^event: (.*)$/m.exec(frame)?.[1];
      if (name === undefined) continue;
      const event = { name, data: /^data: (.*)$/m.exec(frame)?.[1] ?? '' };
      events.push(event);
      if (until(event)) {
        await reader.cancel();
        return events;
      }
    }
  }
}

beforeAll(async () => {
  test = await startTestApp();
});
afterAll(async () => {
  await test.stop();
});

describe('the workspace page routes', () => {
  it('serves the page and its own assets, and nothing else from disk', async () => {
    const page = await fetch(url('/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/assets/app.js"></script>');

    const script = await fetch(url('/assets/render-blocks.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of ['/assets/tsconfig.json', '/assets/..%2Fpage-http.ts', '/assets/nope.js']) {
      expect((await fetch(url(path))).status, path).toBe(404);
    }
  });

  it('answers only a browser on this machine that names a local host', async () => {
    expect(await rawGet('/local/status', { host: `localhost:${test.app.port}` })).toBe(200);
    expect(await rawGet('/local/status', { host: `billops.attacker.example:${test.app.port}` })).toBe(403);
    const crossSite = await fetch(url('/local/command'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://attacker.example' },
      body: JSON.stringify({ userId: 'U0APPROVER1', channelId: 'C0BILLING', text: '/invoice help' }),
    });
    expect(crossSite.status).toBe(403);
  });

  it('shows each person the channels, and who approves', async () => {
    const state = await stateOf('U0FINANCE');
    expect(state.conversations.map((conversation) => conversation.name)).toEqual([
      'billing',
      'approvals',
      'alerts',
    ]);
    expect(state.people.map((person) => [person.id, person.approver])).toEqual([
      ['U0FINANCE', false],
      ['U0APPROVER1', true],
      ['U0APPROVER2', true],
      ['U0VIEWER', false],
    ]);
    expect((await fetch(url('/local/state?user=U0BILLOPS'))).status).toBe(400);
  });

  it('lists the people the page may act as, for a page opened as someone unknown', async () => {
    const unknown = await fetch(url('/local/state?user=U0NOBODY'));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: 'No person U0NOBODY in the local workspace' });
    const { people } = (await (await fetch(url('/local/people'))).json()) as {
      people: WorkspaceSnapshot['people'];
    };
    expect(people).toEqual((await stateOf('U0FINANCE')).people);
    expect(people.map((person) => person.id)).not.toContain('U0BILLOPS');
  });

  it('sends a slash command as the person into /slack/events, and only they see the answer', async () => {
    const reply = await postJson('/local/command', {
      userId: 'U0VIEWER',
      channelId: 'C0ALERTS',
      text: '/invoice help',
    });
    expect(await reply.json()).toEqual({ kind: 'command', status: 200, error: null });
    const alerts = (await stateOf('U0VIEWER')).conversations.find((channel) => channel.id === 'C0ALERTS');
    expect(alerts?.messages).toEqual([
      expect.objectContaining({ ephemeral: true, isBot: true, author: 'billops' }),
    ]);
    const seenByOthers = (await stateOf('U0FINANCE')).conversations.find(
      (channel) => channel.id === 'C0ALERTS',
    );
    expect(seenByOthers?.messages).toEqual([]);
  });

  it('refuses what is not JSON of the expected shape, saying what is wrong', async () => {
    const plain = await fetch(url('/local/command'), { method: 'POST', body: 'text=/invoice help' });
    expect(plain.status).toBe(415);
    const missing = await postJson('/local/click', { userId: 'U0FINANCE', actionId: 'approve_invoice' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'A click needs the channelId of its message, or the viewId of its view.',
    });
    const noButton = await postJson('/local/click', {
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      actionId: 'approve_invoice',
    });
    expect(noButton.status).toBe(409);
  });

  it('opens App Home as the person, which the app then publishes', async () => {
    expect((await postJson('/local/home', { userId: 'U0APPROVER2' })).status).toBe(200);
    await expect.poll(async () => (await stateOf('U0APPROVER2')).home?.blocks.length ?? 0).toBeGreaterThan(0);
    expect((await stateOf('U0APPROVER1')).home).toBeNull();
  });

  it('invites and removes the bot and people, and answers an undeclared command as Slackbot', async () => {
    const membersOf = async (channel: string) =>
      (await stateOf('U0FINANCE')).conversations.find((conversation) => conversation.id === channel)?.members;

    expect(
      await (
        await postJson('/local/members', { channelId: 'C0ALERTS', memberId: 'U0BILLOPS', action: 'remove' })
      ).json(),
    ).toEqual({ changed: true });
    expect((await membersOf('C0ALERTS'))?.map((member) => member.id)).not.toContain('U0BILLOPS');
    await postJson('/local/members', { channelId: 'C0ALERTS', memberId: 'U0BILLOPS', action: 'invite' });
    expect((await membersOf('C0ALERTS'))?.map((member) => member.id)).toContain('U0BILLOPS');
    expect(
      (await postJson('/local/members', { channelId: 'C0NOPE', memberId: 'U0BILLOPS', action: 'invite' }))
        .status,
    ).toBe(409);

    const typo = await postJson('/local/command', {
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      text: '/invoce run',
    });
    expect(await typo.json()).toMatchObject({
      kind: 'command',
      status: 0,
      error: expect.stringContaining('/invoce is not a valid command') as unknown,
    });
  });

  it('streams a change when the workspace changes', async () => {
    const stream = await fetch(url('/local/events'));
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const body = stream.body;
    if (body === null) throw new Error('no stream body');
    const events = readEvents(body, (event) => event.name === 'change');
    await postJson('/local/command', { userId: 'U0FINANCE', channelId: 'C0BILLING', text: '/invoice help' });
    const [ready, change] = await events;
    expect(ready?.name).toBe('ready');
    expect(JSON.parse(change?.data ?? '{}')).toEqual({ topics: ['slack'] });
  });

  it('offers demo data on an empty database, and seeds it once', async () => {
    expect(await (await fetch(url('/local/status'))).json()).toEqual({
      hasCustomers: false,
      outbox: true,
      erp: true,
    });
    const seeded = (await (await postJson('/local/demo', {})).json()) as {
      created: boolean;
      customers: number;
    };
    expect(seeded).toMatchObject({ created: true, customers: 6 });
    expect(await (await fetch(url('/local/status'))).json()).toMatchObject({ hasCustomers: true });
    expect(await (await postJson('/local/demo', {})).json()).toMatchObject({ created: false });
  });

  it('answers 404 for files, emails and ERP attachments it does not have', async () => {
    for (const path of [
      '/local/files/F0NOPE',
      '/local/outbox/nope/attachments/0',
      '/local/erp/attachments/nope',
    ]) {
      expect((await fetch(url(path))).status, path).toBe(404);
    }
  });
});

describe('stopping the app with the page open', () => {
  it('ends the live stream so the server can close', async () => {
    const app = await startTestApp();
    const stream = await fetch(`${app.app.url}/local/events`);
    const body = stream.body;
    if (body === null) throw new Error('no stream body');
    const events = readEvents(body, () => false);
    await app.stop();
    expect((await events).map((event) => event.name)).toEqual(['ready']);
  });
});
