import { WebClient, type WebClientOptions } from '@slack/web-api';

/** Options shared by every WebClient billops builds (Bolt's and the one jobs use). */
export function slackClientOptions(apiUrl: string): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    timeout: 10_000,
    // NOTE: the SDK's default retries for up to 30 minutes and can double-post on a timeout;
    // 429s are still waited out (Retry-After) within these retries.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5000 },
  };
}

export function createSlackClient(botToken: string, apiUrl: string): WebClient {
  return new WebClient(botToken, slackClientOptions(apiUrl));
}
