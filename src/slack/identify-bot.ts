import { ErrorCode, WebClient } from '@slack/web-api';

export interface BotIdentity {
  botId: string;
  botUserId: string;
  teamName: string;
  botName: string;
}

/**
 * auth.test once at start: proves the token works against SLACK_API_URL and gives Bolt the bot's ids,
 * so a bad token stops the app with a clear message instead of failing on the first click.
 */
export async function identifyBot(apiUrl: string, botToken: string): Promise<BotIdentity> {
  const client = new WebClient(botToken, {
    slackApiUrl: apiUrl,
    timeout: 10_000,
    retryConfig: { retries: 1 },
  });
  try {
    const result = await client.auth.test();
    if (result.bot_id === undefined || result.user_id === undefined) {
      throw new Error('Slack answered auth.test without a bot: SLACK_BOT_TOKEN must be a bot token (xoxb-)');
    }
    return {
      botId: result.bot_id,
      botUserId: result.user_id,
      teamName: result.team ?? 'unknown workspace',
      botName: result.user ?? 'bot',
    };
  } catch (error) {
    throw new Error(describeFailure(error, apiUrl), { cause: error });
  }
}

function describeFailure(error: unknown, apiUrl: string): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    if (error.code === ErrorCode.PlatformError && 'data' in error) {
      const code = (error.data as { error?: string }).error ?? 'unknown_error';
      return `Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token from the app's OAuth & Permissions page`;
    }
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not reach the Slack API at ${apiUrl} (${reason}); check SLACK_API_URL and the network`;
}
