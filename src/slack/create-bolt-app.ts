import {
  App,
  HTTPModuleFunctions,
  HTTPReceiver,
  type CustomRoute,
  type Logger as BoltLogger,
} from '@slack/bolt';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
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
  clock: { now(): Date };
}

export interface BoltApp {
  app: App;
  /** Bolt's receiver behind our own check; `listen` starts it, `close` stops it. */
  server: Server;
}

const WINDOW_SECONDS = 5 * 60;

/**
 * Bolt on its HTTP receiver: Slack commands, actions, views and events all arrive signed at
 * /slack/events; Bolt verifies the signature and refuses timestamps over 5 minutes old before any
 * listener runs. In front of it, a request dated more than 5 minutes ahead is refused too (Bolt
 * only checks the past, so a request signed for the future could be replayed until then).
 */
export function createBoltApp(options: BoltAppOptions): BoltApp {
  const logger = boltLogger(options.logger.child({ part: 'slack' }));
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    customRoutes: options.customRoutes,
    logger,
    // NOTE: ack within Slack's 3 seconds, then work; long work goes to jobs, never into the request.
    processBeforeResponse: false,
  });
  const app = new App({
    token: options.botToken,
    botId: options.bot.botId,
    botUserId: options.bot.botUserId,
    receiver,
    logger,
    clientOptions: slackClientOptions(options.apiUrl),
  });
  app.error(async (error) => {
    options.logger.error({ err: error }, 'Slack listener failed');
    await Promise.resolve();
  });
  const listener = refuseFutureTimestamps(receiver.requestListener, options.clock);
  return { app, server: createServer(answerUnroutedRequests(listener, logger)) };
}

function refuseFutureTimestamps(next: RequestListener, clock: { now(): Date }): RequestListener {
  return (request, response) => {
    if (isFromTheFuture(request, clock.now())) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The request timestamp is more than 5 minutes ahead of this server; refused.');
      return;
    }
    next(request, response);
  };
}

function isFromTheFuture(request: IncomingMessage, now: Date): boolean {
  const header = request.headers['x-slack-request-timestamp'];
  const timestamp = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(timestamp) && timestamp > now.getTime() / 1000 + WINDOW_SECONDS;
}

/**
 * Bolt's request listener throws for a path it has no route for; its own server turns that into a 404,
 * and so must ours, or one stray request (a browser's /favicon.ico) would be an uncaught exception.
 */
function answerUnroutedRequests(next: RequestListener, logger: BoltLogger): RequestListener {
  return (request, response) => {
    try {
      next(request, response);
    } catch (error) {
      HTTPModuleFunctions.defaultDispatchErrorHandler({ error: error as Error, logger, request, response });
    }
  };
}
