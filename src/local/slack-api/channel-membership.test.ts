import { describe, expect, it } from 'vitest';

import { startLocalSlack } from './local-slack.ts';
import { botToken, slackError, useTestWorkspace } from './test-workspace.ts';
import { WebClient } from '@slack/web-api';

// Slack's channel membership, as its method docs state it (docs.slack.dev/reference/methods/…): a bot
// posts, updates, uploads and reads only where it was invited (`not_in_channel`; a private channel it is
// not in is `channel_not_found`), and an ephemeral goes only to someone in the channel
// (`user_not_in_channel`).

const local = useTestWorkspace();

describe('a public channel the bot was removed from', () => {
  it('refuses posts, updates, ephemerals, uploads and history with not_in_channel until it is invited back', async () => {
    const posted = await local.client.chat.postMessage({ channel: 'C0APPROVALS', text: 'INV-1 card' });
    local.slack.removeFromChannel('C0APPROVALS', 'U0BILLOPS');

    expect(
      await slackError(local.client.chat.postMessage({ channel: 'C0APPROVALS', text: 'x' })),
    ).toMatchObject({ error: 'not_in_channel' });
    expect(
      await slackError(local.client.chat.update({ channel: 'C0APPROVALS', ts: posted.ts ?? '', text: 'y' })),
    ).toMatchObject({ error: 'not_in_channel' });
    expect(
      await slackError(
        local.client.chat.postEphemeral({ channel: 'C0APPROVALS', user: 'U0APPROVER1', text: 'only you' }),
      ),
    ).toMatchObject({ error: 'not_in_channel' });
    expect(
      await slackError(
        local.client.files.uploadV2({
          channel_id: 'C0APPROVALS',
          filename: 'a.pdf',
          file: Buffer.from('%PDF'),
        }),
      ),
    ).toMatchObject({ error: 'not_in_channel' });
    expect(await slackError(local.client.conversations.history({ channel: 'C0APPROVALS' }))).toMatchObject({
      error: 'not_in_channel',
    });

    expect(local.slack.invite('C0APPROVALS', 'U0BILLOPS')).toBe(true);
    expect((await local.client.chat.postMessage({ channel: 'C0APPROVALS', text: 'back' })).ok).toBe(true);
  });
});

describe('an ephemeral message', () => {
  it('goes only to someone in the channel: user_not_in_channel otherwise', async () => {
    local.slack.removeFromChannel('C0BILLING', 'U0VIEWER');

    expect(
      await slackError(
        local.client.chat.postEphemeral({ channel: 'C0BILLING', user: 'U0VIEWER', text: 'hi' }),
      ),
    ).toMatchObject({ error: 'user_not_in_channel' });
    local.slack.invite('C0BILLING', 'U0VIEWER');
    expect(
      (await local.client.chat.postEphemeral({ channel: 'C0BILLING', user: 'U0VIEWER', text: 'hi' })).ok,
    ).toBe(true);
  });
});

describe('a private channel the bot is not in', () => {
  it('does not exist for the bot: channel_not_found', async () => {
    const slack = await startLocalSlack({
      signingSecret: 'secret',
      botToken,
      seed: {
        channels: [{ id: 'G0FINANCE', name: 'finance-private', private: true, members: ['U0FINANCE'] }],
      },
    });
    const client = new WebClient(botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    try {
      expect(await slackError(client.chat.postMessage({ channel: 'G0FINANCE', text: 'x' }))).toMatchObject({
        error: 'channel_not_found',
      });
      expect(await slackError(client.conversations.info({ channel: 'G0FINANCE' }))).toMatchObject({
        error: 'channel_not_found',
      });
      slack.invite('G0FINANCE', 'U0BILLOPS');
      expect((await client.chat.postMessage({ channel: 'G0FINANCE', text: 'x' })).ok).toBe(true);
    } finally {
      await slack.stop();
    }
  });
});

describe('a direct message', () => {
  it('reaches the person when the bot posts to their user id (the app’s DM with them)', async () => {
    const answer = await local.client.chat.postMessage({ channel: 'U0APPROVER2', text: 'Only for Blake' });

    expect(answer.channel).toMatch(/^D/);
    expect(local.slack.messages(answer.channel ?? '').map((message) => message.text)).toEqual([
      'Only for Blake',
    ]);
  });
});
