import { App, type CustomRoute } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { boltLogger } from './bolt-logger.ts';
import { slackClientOptions } from './create-slack-client.ts';
import type { BotIdentity } from './identify-bot.ts';

export interface BoltAppOptions {
  botToken: string;
  /** From auth.test at start (identifyBot), so Bolt does not call it again. */
  bot: BotIdentity;
  signingSecret: string;
  apiUrl: string;
  logger: Logger;
  customRoutes: CustomRoute[];
}

/**
 * Bolt on its HTTP receiver: Slack commands, actions, views and events all arrive signed at
 * /slack/events; Bolt verifies the signature and the 5-minute window before any listener runs.
 */
export function createBoltApp(options: BoltAppOptions): App {
  const app = new App({
    token: options.botToken,
    botId: options.bot.botId,
    botUserId: options.bot.botUserId,
    signingSecret: options.signingSecret,
    logger: boltLogger(options.logger.child({ part: 'slack' })),
    customRoutes: options.customRoutes,
    // NOTE: ack within Slack's 3 seconds, then work; long work goes to jobs, never into the request.
    processBeforeResponse: false,
    clientOptions: slackClientOptions(options.apiUrl),
  });
  app.error(async (error) => {
    options.logger.error({ err: error }, 'Slack listener failed');
    await Promise.resolve();
  });
  return app;
}
