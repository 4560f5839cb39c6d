import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage } from 'node:http';
import { readBodyWithin, sendJson } from '../http/http-body.ts';
import type { JsonReply } from '../ports/json-reply.ts';
import { parseJsonText } from '../intake/parse-json-text.ts';
import { findUnstorableText } from '../text/storable-text.ts';
import { decodeUtf8 } from '../intake/utf8-text.ts';
import type { Logger } from '../logger.ts';
import type { SignatureFailureAlerts } from './signature-failure-alerts.ts';
import type { WebhookSource } from './webhook-source.ts';

export interface WebhookRouteOptions {
  publicUrl: string;
  clock: { now(): Date };
  logger: Logger;
  alerts: SignatureFailureAlerts;
}

/**
 * POST /webhooks/<source>: the body is read within its limit (413), the signature is checked on the
 * raw bytes before anything is parsed (401), then the JSON is parsed (400 naming the problem) and the
 * source acts. 2xx only once the work is durably recorded, so a sender's retry is always safe.
 */
export function webhookRoute(source: WebhookSource, options: WebhookRouteOptions): CustomRoute {
  return {
    path: `/webhooks/${source.name}`,
    method: ['POST'],
    handler: (request, response) => {
      handle(source, options, request).then(
        (reply) => {
          sendJson(request, response, reply);
        },
        (error: unknown) => {
          options.logger.error({ err: error, webhook: source.name }, 'Webhook: handling failed');
          sendJson(request, response, {
            status: 500,
            body: {
              error: 'server_error',
              message: 'Nothing was recorded on our side; sending it again is safe.',
            },
          });
        },
      );
    },
  };
}

async function handle(
  source: WebhookSource,
  options: WebhookRouteOptions,
  request: IncomingMessage,
): Promise<JsonReply> {
  if (!source.enabled) {
    return {
      status: 404,
      body: {
        error: 'webhook_off',
        message: `This webhook is off: set ${source.secretVariable} to enable it.`,
      },
    };
  }
  const body = await readBodyWithin(request, source.bodyLimitBytes);
  if (body === 'too_large') {
    return {
      status: 413,
      body: {
        error: 'body_too_large',
        message: `The body is over ${source.bodyLimitBytes.toLocaleString('en-US')} bytes; nothing was recorded.`,
      },
    };
  }
  if (body === 'aborted') {
    return {
      status: 400,
      body: { error: 'body_incomplete', message: 'The body ended early; nothing was recorded.' },
    };
  }
  const webhookRequest = {
    headers: request.headers,
    body,
    method: request.method ?? 'POST',
    url: `${options.publicUrl}${request.url ?? ''}`,
    now: options.clock.now(),
  };
  const verified = source.verify(webhookRequest);
  if (!verified.ok) {
    options.logger.warn(
      { webhook: source.name, problem: verified.problem, remoteAddress: request.socket.remoteAddress },
      'Webhook: refused a request whose signature did not check out',
    );
    void options.alerts.record(source.name, verified.problem, webhookRequest.now);
    return { status: 401, body: { error: verified.problem, message: verified.message } };
  }
  const text = decodeUtf8(body);
  if (typeof text !== 'string') {
    return {
      status: 400,
      body: {
        error: 'invalid_encoding',
        message: `The body is not valid UTF-8 (byte offset ${text.offset}, counting from 0); send JSON encoded as UTF-8.`,
      },
    };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column } = parsed;
    return {
      status: 400,
      body: { error: 'invalid_json', message: `The body is ${parsed.message}`, line, column },
    };
  }
  const unstorable = findUnstorableText(parsed.value);
  if (unstorable !== undefined) {
    return {
      status: 400,
      body: {
        error: 'invalid_text',
        field: unstorable.field,
        message: `${unstorable.field} ${unstorable.problem}. Nothing was recorded.`,
      },
    };
  }
  return source.accept(webhookRequest, parsed.value);
}
