import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalSlack, type LocalSlack } from './local-slack.ts';
import { botToken } from './test-workspace.ts';

// docs.slack.dev/apis/web-api/rate-limits, "Posting messages": about one chat.postMessage a second per
// channel, short bursts allowed; over it, HTTP 429 with Retry-After.

let nowMs = Date.parse('2026-12-06T09:00:00Z');
let slack: LocalSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await startLocalSlack({
    signingSecret: 'secret',
    botToken,
    now: () => nowMs,
    postingLimit: { burst: 2, perSecond: 1 },
  });
  client = new WebClient(botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(async () => {
  await slack.stop();
});

describe('chat.postMessage per channel', () => {
  it('takes a burst, then answers 429 with Retry-After until the channel has room again', async () => {
    await client.chat.postMessage({ channel: 'C0BILLING', text: 'one' });
    await client.chat.postMessage({ channel: 'C0BILLING', text: 'two' });

    const refused = await client.chat
      .postMessage({ channel: 'C0BILLING', text: 'three' })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
    // Another channel has its own allowance.
    expect((await client.chat.postMessage({ channel: 'C0ALERTS', text: 'elsewhere' })).ok).toBe(true);

    nowMs += 1_000;
    expect((await client.chat.postMessage({ channel: '#billing', text: 'three' })).ok).toBe(true);
    expect(slack.messages('C0BILLING').map((message) => message.text)).toEqual(['one', 'two', 'three']);
  });
});
