import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalSlack, type LocalSlack } from '../local/slack-api/index.ts';
import { createSlackClient } from './create-slack-client.ts';
import { ChannelPostingBudget } from './posting-budget.ts';
import { createSlackNotifier } from './slack-notifier.ts';

// Slack takes a burst of posts per channel, then about one a second, answering 429 with Retry-After
// past that. The burst size is not published: here Slack's is smaller than billops' budget assumes, so
// 429s come, and every message must still land, in order, once.

const botToken = 'xoxb-notifier-test';
let slack: LocalSlack;

beforeAll(async () => {
  slack = await startLocalSlack({
    signingSecret: 'secret',
    botToken,
    postingLimit: { burst: 2, perSecond: 1 },
  });
});
afterAll(async () => {
  await slack.stop();
});

describe('posting past Slack’s per-channel limit', () => {
  it('waits out each 429 and loses no message', async () => {
    const notifier = createSlackNotifier(createSlackClient(botToken, slack.apiUrl), {
      alertsChannel: 'C0ALERTS',
      budget: new ChannelPostingBudget({ burst: 10, perSecond: 10 }),
    });
    const texts = ['INV-1 emailed', 'INV-2 emailed', 'INV-3 emailed', 'INV-4 emailed'];

    for (const text of texts) await notifier.post({ channel: 'C0BILLING', text });

    expect(slack.messages('C0BILLING').map((message) => message.text)).toEqual(texts);
    const refused = slack.calls('chat.postMessage').filter((call) => call.status === 429);
    expect(refused.length).toBeGreaterThan(0);
  });
});

describe('a message whose blocks are over Slack’s text limit together', () => {
  const section = (line: number) => ({
    type: 'section' as const,
    text: { type: 'mrkdwn' as const, text: `Line ${line}: ${'x'.repeat(2990)}` },
  });
  const blocks = Array.from({ length: 10 }, (_, index) => section(index + 1));

  it('is split: the first part where asked, the rest in its thread, in order, nothing left out', async () => {
    const notifier = createSlackNotifier(createSlackClient(botToken, slack.apiUrl), {
      alertsChannel: 'C0ALERTS',
    });

    const posted = await notifier.post({ channel: 'C0APPROVALS', text: 'Run review', blocks });

    const thread = slack.threadOf('C0APPROVALS', posted.ts);
    const shown = [thread?.parent, ...(thread?.replies ?? [])].flatMap((message) =>
      (message?.blocks ?? []).map((block) => JSON.stringify(block).match(/Line (\d+)/)?.[1]),
    );
    expect(shown).toEqual(blocks.map((_, index) => String(index + 1)));
    expect(thread?.replies.length).toBeGreaterThan(0);
  });

  it('is shortened in place when it replaces a message, and says so', async () => {
    const notifier = createSlackNotifier(createSlackClient(botToken, slack.apiUrl), {
      alertsChannel: 'C0ALERTS',
    });
    const posted = await notifier.post({ channel: 'C0ALERTS', text: 'Card' });

    await notifier.update({ channel: posted.channel, ts: posted.ts, text: 'Card', blocks });

    const updated = slack.messages('C0ALERTS').find((message) => message.ts === posted.ts);
    expect(JSON.stringify(updated?.blocks.at(-1))).toContain('Shortened to fit one Slack message');
    expect(updated?.blocks.length).toBeLessThan(blocks.length);
  });
});
