import { vi } from 'vitest';
import { slackSignatureHeaders } from '../../src/local/slack-api/index.ts';
import type { TestApp } from './start-test-app.ts';

// Slack (or a proxy in front of billops) delivering a request again: the very body the local Slack sent,
// signed afresh, with Slack's retry headers. Bodies are captured as the local Slack posts them.

export interface SlackRedelivery {
  /** Sends the request that carried this trigger_id again, byte for byte; resolves to the HTTP status. */
  redeliver(triggerId: string, retryNum?: number): Promise<number>;
  stop(): void;
}

export function captureSlackRequests(test: TestApp): SlackRedelivery {
  const eventsUrl = test.slack.eventsUrl;
  if (eventsUrl === undefined) throw new Error('the local Slack has no events URL yet');
  const bodies: { body: string; contentType: string }[] = [];
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === eventsUrl && typeof init?.body === 'string') {
      const headers = new Headers(init.headers);
      bodies.push({ body: init.body, contentType: headers.get('content-type') ?? '' });
    }
    return realFetch(input, init);
  });
  return {
    async redeliver(triggerId, retryNum = 1) {
      const sent = bodies.find(({ body }) => body.includes(encodeURIComponent(triggerId)));
      if (sent === undefined) throw new Error(`no request with trigger_id ${triggerId} was sent`);
      const response = await realFetch(eventsUrl, {
        method: 'POST',
        headers: {
          'content-type': sent.contentType,
          ...slackSignatureHeaders(
            test.app.deps.config.slack.signingSecret,
            sent.body,
            Math.floor(Date.now() / 1000),
          ),
          'x-slack-retry-num': String(retryNum),
          'x-slack-retry-reason': 'http_timeout',
        },
        body: sent.body,
      });
      await response.arrayBuffer();
      return response.status;
    },
    stop: () => {
      spy.mockRestore();
    },
  };
}
