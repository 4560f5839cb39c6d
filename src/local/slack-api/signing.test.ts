import { verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';

import { signSlackRequest } from './signing.ts';

describe('signSlackRequest', () => {
  const body = 'command=%2Fbilling&text=status';
  const now = Math.floor(Date.now() / 1000);

  it("produces a signature Bolt's own verifier accepts", () => {
    const headers = {
      'x-slack-signature': signSlackRequest('s3cret', body, now),
      'x-slack-request-timestamp': now,
    };

    expect(() => {
      verifySlackRequest({ signingSecret: 's3cret', body, headers });
    }).not.toThrow();
  });

  it('is rejected by Bolt with another secret or a timestamp over 5 minutes old', () => {
    const stale = now - 6 * 60;

    expect(() => {
      verifySlackRequest({
        signingSecret: 's3cret',
        body,
        headers: {
          'x-slack-signature': signSlackRequest('other', body, now),
          'x-slack-request-timestamp': now,
        },
      });
    }).toThrow(/signature mismatch/);
    expect(() => {
      verifySlackRequest({
        signingSecret: 's3cret',
        body,
        headers: {
          'x-slack-signature': signSlackRequest('s3cret', body, stale),
          'x-slack-request-timestamp': stale,
        },
      });
    }).toThrow(/stale/);
  });

  it("matches Slack's documented example", () => {
    // From Slack's "Verifying requests from Slack" guide.
    const documented = signSlackRequest(
      '8f742231b10e8888abcd99yyyzzz85a5',
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
      1531420618,
    );

    expect(documented).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });
});
