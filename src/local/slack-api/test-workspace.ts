import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterAll, beforeAll } from 'vitest';

import { startLocalSlack, type LocalSlack } from './local-slack.ts';

/** The bot token the test workspace's Web API accepts. */
export const botToken = 'xoxb-local-test';

/** A running local Slack and a WebClient that calls its Web API as the bot. */
export interface TestWorkspace {
  readonly slack: LocalSlack;
  readonly client: WebClient;
}

/**
 * Starts a local Slack and its bot's WebClient before the file's tests and stops it after them.
 * `slack` and `client` are there once the tests run.
 */
export function useTestWorkspace(options: { now?: () => number } = {}): TestWorkspace {
  let started: TestWorkspace | undefined;

  beforeAll(async () => {
    const slack = await startLocalSlack({ signingSecret: 'secret', botToken, ...options });
    const client = new WebClient(botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    started = { slack, client };
  });

  afterAll(async () => {
    await started?.slack.stop();
  });

  const running = (): TestWorkspace => {
    if (started === undefined)
      throw new Error('the test workspace starts in beforeAll: use it inside a test');
    return started;
  };
  return {
    get slack() {
      return running().slack;
    },
    get client() {
      return running().client;
    },
  };
}

/** The Slack error a Web API call failed with; throws if the call succeeded. */
export async function slackError(call: Promise<unknown>): Promise<{ error: string; messages: string[] }> {
  try {
    await call;
  } catch (caught) {
    const { data } = caught as WebAPIPlatformError;
    return { error: data.error, messages: data.response_metadata?.messages ?? [] };
  }
  throw new Error('expected the call to fail');
}
