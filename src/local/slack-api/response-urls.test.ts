import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalSlack, type LocalSlack } from './local-slack.ts';

let slack: LocalSlack;
let clock = Date.UTC(2026, 10, 21, 9, 0, 0);

beforeAll(async () => {
  slack = await startLocalSlack({ signingSecret: 'secret', botToken: 'xoxb-test', now: () => clock });
});

afterAll(async () => {
  await slack.stop();
});

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function botMessage(channel: string, text: string): string {
  return slack.workspace.postMessage({ channel, user: 'U0BILLOPS', botId: 'B0BILLOPS', text, via: 'web_api' })
    .ts;
}

describe('a response_url', () => {
  it('posts an ephemeral message to the person by default', async () => {
    const { url } = slack.workspace.issueResponseUrl({ userId: 'U0VIEWER', channelId: 'C0BILLING' });

    const response = await post(url, { text: 'Only for Val' });

    expect(response.status).toBe(200);
    expect(slack.ephemerals('U0VIEWER').at(-1)).toMatchObject({ channel: 'C0BILLING', text: 'Only for Val' });
    expect(slack.responses(url)).toEqual([
      expect.objectContaining({ outcome: 'posted_ephemeral', status: 200 }),
    ]);
  });

  it('replaces or deletes the message the interaction came from', async () => {
    const replacedTs = botMessage('C0APPROVALS', 'Approve INV-3?');
    const deletedTs = botMessage('C0APPROVALS', 'Approve INV-4?');
    const replacing = slack.workspace.issueResponseUrl({
      userId: 'U0APPROVER1',
      channelId: 'C0APPROVALS',
      source: { ts: replacedTs, ephemeral: false },
    });
    const deleting = slack.workspace.issueResponseUrl({
      userId: 'U0APPROVER1',
      channelId: 'C0APPROVALS',
      source: { ts: deletedTs, ephemeral: false },
    });

    await post(replacing.url, { replace_original: true, text: 'INV-3 approved' });
    await post(deleting.url, { delete_original: true });

    const texts = slack.messages('C0APPROVALS').map((message) => message.text);
    expect(texts).toContain('INV-3 approved');
    expect(texts).not.toContain('Approve INV-4?');
  });

  it('takes 5 posts and answers the 6th with 404 used_url', async () => {
    const { url } = slack.workspace.issueResponseUrl({ userId: 'U0FINANCE', channelId: 'C0BILLING' });
    for (let i = 1; i <= 5; i += 1) expect((await post(url, { text: `update ${i}` })).status).toBe(200);

    const sixth = await post(url, { text: 'one too many' });

    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
  });

  it('expires after 30 minutes', async () => {
    const { url } = slack.workspace.issueResponseUrl({ userId: 'U0FINANCE', channelId: 'C0BILLING' });
    clock += 30 * 60 * 1000 + 1;

    const late = await post(url, { text: 'too late' });

    expect(late.status).toBe(404);
    expect(await late.json()).toEqual({ ok: false, error: 'expired_url' });
  });
});
