import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';

import { botToken, slackError, useTestWorkspace } from './test-workspace.ts';

const local = useTestWorkspace();

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('chat.postMessage', () => {
  it('stores the message in the channel and answers with its ts', async () => {
    const answer = await local.client.chat.postMessage({
      channel: 'C0BILLING',
      text: 'Run 42 ready',
      blocks: [section('*Run 42* ready')],
      metadata: { event_type: 'billing_run', event_payload: { run_id: 42 } },
    });

    expect(answer.channel).toBe('C0BILLING');
    expect(answer.ts).toMatch(/^\d{10}\.\d{6}$/);
    const stored = local.slack.messages('C0BILLING').find((message) => message.ts === answer.ts);
    expect(stored).toMatchObject({
      text: 'Run 42 ready',
      user: 'U0BILLOPS',
      botId: 'B0BILLOPS',
      metadata: { event_type: 'billing_run', event_payload: { run_id: 42 } },
    });
    expect(stored?.blocks[0]).toMatchObject({ type: 'section', text: { text: '*Run 42* ready' } });
    expect(answer.message?.bot_id).toBe('B0BILLOPS');
  });

  it('accepts a #name and gives every message a later ts than the one before', async () => {
    const first = await local.client.chat.postMessage({ channel: '#alerts', text: 'one' });
    const second = await local.client.chat.postMessage({ channel: 'alerts', text: 'two' });

    expect(first.channel).toBe('C0ALERTS');
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(local.slack.messages('#alerts').map((message) => message.text)).toEqual(['one', 'two']);
  });

  it('threads replies under their parent, and keeps them out of the channel history', async () => {
    const parent = await local.client.chat.postMessage({
      channel: 'C0APPROVALS',
      text: 'INV-1 needs approval',
    });
    const parentTs = parent.ts ?? '';
    await local.client.chat.postMessage({
      channel: 'C0APPROVALS',
      thread_ts: parentTs,
      text: 'Approved by Avery',
    });
    await local.client.chat.postMessage({
      channel: 'C0APPROVALS',
      thread_ts: parentTs,
      text: 'Sent to Xero',
      reply_broadcast: true,
    });

    const thread = local.slack.threadOf('C0APPROVALS', parentTs);
    expect(thread?.replies.map((reply) => reply.text)).toEqual(['Approved by Avery', 'Sent to Xero']);
    expect(thread?.replyCount).toBe(2);
    expect(local.slack.messages('C0APPROVALS', { threadTs: parentTs })).toHaveLength(2);
    expect(local.slack.messages('C0APPROVALS').map((message) => message.text)).toEqual([
      'INV-1 needs approval',
      'Sent to Xero',
    ]);
  });

  it('refuses an unknown channel with channel_not_found', async () => {
    expect((await slackError(local.client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
  });

  it('refuses a message with neither text nor blocks with no_text', async () => {
    expect((await slackError(local.client.chat.postMessage({ channel: 'C0BILLING', text: '' }))).error).toBe(
      'no_text',
    );
  });

  it('refuses 51 blocks with invalid_blocks and says why', async () => {
    const blocks = Array.from({ length: 51 }, (_, index) => section(`line ${index}`));
    const refusal = await slackError(
      local.client.chat.postMessage({ channel: 'C0BILLING', text: 'x', blocks }),
    );

    expect(refusal.error).toBe('invalid_blocks');
    expect(refusal.messages).toContain('[ERROR] no more than 50 items allowed [json-pointer:/blocks]');
  });

  it('refuses section text over 3000 characters and a header over 150', async () => {
    const long = await slackError(
      local.client.chat.postMessage({ channel: 'C0BILLING', text: 'x', blocks: [section('a'.repeat(3001))] }),
    );
    const header = await slackError(
      local.client.chat.postMessage({
        channel: 'C0BILLING',
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      }),
    );

    expect(long.messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(header.error).toBe('invalid_blocks');
  });

  it('refuses duplicate block_ids', async () => {
    const refusal = await slackError(
      local.client.chat.postMessage({
        channel: 'C0BILLING',
        text: 'x',
        blocks: [
          { ...section('a'), block_id: 'same' },
          { ...section('b'), block_id: 'same' },
        ],
      }),
    );
    expect(refusal.error).toBe('invalid_blocks');
  });

  it('refuses text over 40,000 characters with msg_too_long', async () => {
    const refusal = await slackError(
      local.client.chat.postMessage({ channel: 'C0BILLING', text: 'x'.repeat(40_001) }),
    );
    expect(refusal.error).toBe('msg_too_long');
  });
});

describe('chat.update', () => {
  it('replaces text and blocks and marks the message edited', async () => {
    const posted = await local.client.chat.postMessage({
      channel: 'C0BILLING',
      text: 'Draft',
      blocks: [section('Draft')],
    });
    const ts = posted.ts ?? '';

    const answer = await local.client.chat.update({
      channel: 'C0BILLING',
      ts,
      text: 'Final',
      blocks: [section('Final')],
    });

    expect(answer).toMatchObject({ ok: true, channel: 'C0BILLING', ts, text: 'Final' });
    const stored = local.slack.messages('C0BILLING').find((message) => message.ts === ts);
    expect(stored?.text).toBe('Final');
    expect(stored?.blocks[0]).toMatchObject({ text: { text: 'Final' } });
    expect(stored?.edited?.user).toBe('U0BILLOPS');
  });

  it('answers message_not_found for an unknown ts', async () => {
    const refusal = await slackError(
      local.client.chat.update({ channel: 'C0BILLING', ts: '1.000001', text: 'x' }),
    );
    expect(refusal.error).toBe('message_not_found');
  });

  it("refuses to edit a person's message with cant_update_message", async () => {
    const theirs = local.slack.postMessageAs({ userId: 'U0FINANCE', channelId: 'C0BILLING', text: 'mine' });
    const refusal = await slackError(
      local.client.chat.update({ channel: 'C0BILLING', ts: theirs.ts, text: 'x' }),
    );
    expect(refusal.error).toBe('cant_update_message');
  });
});

describe('chat.postEphemeral', () => {
  it('shows the message to that person only', async () => {
    const answer = await local.client.chat.postEphemeral({
      channel: 'C0BILLING',
      user: 'U0VIEWER',
      text: 'Only you',
    });

    expect(answer.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(local.slack.ephemerals('U0VIEWER')).toEqual([
      expect.objectContaining({
        ts: answer.message_ts,
        channel: 'C0BILLING',
        text: 'Only you',
        ephemeralTo: 'U0VIEWER',
      }),
    ]);
    expect(local.slack.ephemerals('U0FINANCE')).toEqual([]);
    expect(local.slack.messages('C0BILLING').some((message) => message.text === 'Only you')).toBe(false);
  });

  it('answers user_not_found for someone outside the workspace', async () => {
    const refusal = await slackError(
      local.client.chat.postEphemeral({ channel: 'C0BILLING', user: 'U0NOBODY', text: 'x' }),
    );
    expect(refusal.error).toBe('user_not_found');
  });
});

describe('the Web API as a whole', () => {
  it('refuses a wrong token with invalid_auth and records the call', async () => {
    const stranger = new WebClient('xoxb-wrong', {
      slackApiUrl: local.slack.apiUrl,
      retryConfig: { retries: 0 },
    });

    expect((await slackError(stranger.chat.postMessage({ channel: 'C0BILLING', text: 'x' }))).error).toBe(
      'invalid_auth',
    );
    expect(local.slack.calls('chat.postMessage').at(-1)).toMatchObject({ ok: false, error: 'invalid_auth' });
  });

  it('answers not_authed without a token and unknown_method for a method it does not know', async () => {
    const anonymous = await fetch(`${local.slack.apiUrl}auth.test`, { method: 'POST' });
    const unknown = await local.client.apiCall('billing.doMagic').catch((caught: unknown) => caught);

    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
    expect((unknown as WebAPIPlatformError).data.error).toBe('unknown_method');
  });

  it('answers auth.test with the bot identity', async () => {
    expect(await local.client.auth.test()).toMatchObject({
      ok: true,
      team_id: 'T0LOCAL',
      user_id: 'U0BILLOPS',
      bot_id: 'B0BILLOPS',
    });
  });

  it('accepts JSON bodies as well as forms', async () => {
    const response = await fetch(`${local.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0ALERTS', text: 'from json', blocks: [section('json')] }),
    });

    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0ALERTS' });
    expect(local.slack.calls('chat.postMessage').at(-1)?.args).toMatchObject({
      channel: 'C0ALERTS',
      text: 'from json',
    });
  });

  it('fails the next call as arranged: a Slack error once, then a 429 with Retry-After', async () => {
    local.slack.failNext('chat.postMessage', { error: 'channel_is_archived' });
    local.slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const impatient = new WebClient(botToken, {
      slackApiUrl: local.slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });

    const archived = await slackError(local.client.chat.postMessage({ channel: 'C0BILLING', text: 'x' }));
    const limited = await impatient.chat
      .postMessage({ channel: 'C0BILLING', text: 'x' })
      .catch((e: unknown) => e);
    const fine = await local.client.chat.postMessage({ channel: 'C0BILLING', text: 'x' });

    expect(archived.error).toBe('channel_is_archived');
    expect(limited).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect(fine.ok).toBe(true);
  });

  it('emits a change for each thing that happens in the workspace', async () => {
    const changes: string[] = [];
    const stop = local.slack.onChange((change) => changes.push(change.kind));

    await local.client.chat.postMessage({ channel: 'C0BILLING', text: 'watched' });
    stop();
    await local.client.chat.postMessage({ channel: 'C0BILLING', text: 'unwatched' });

    expect(changes).toEqual(['message_posted', 'api_called']);
  });
});
