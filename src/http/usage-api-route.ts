import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Db } from '../db/database.ts';
import { parseJsonText } from '../intake/parse-json-text.ts';
import { recordUsageBatch } from '../intake/record-usage-batch.ts';
import { decodeUtf8 } from '../intake/utf8-text.ts';
import type { Logger } from '../logger.ts';
import { isJsonContentType, readBodyWithin, sendJson } from './http-body.ts';
import type { JsonReply } from '../ports/json-reply.ts';

export const USAGE_API_PATH = '/api/usage';
export const USAGE_BODY_LIMIT_BYTES = 1024 * 1024;

export interface UsageApiOptions {
  db: Db;
  /** USAGE_API_TOKEN; undefined turns the API off (503). */
  token: string | undefined;
  logger: Logger;
}

/**
 * `POST /api/usage` with `{ "events": [ … ] }` and `Authorization: Bearer <USAGE_API_TOKEN>`. All or
 * nothing: one invalid event → 422 and nothing recorded. Resending a batch is safe (duplicates).
 */
export function usageApiRoute(options: UsageApiOptions): CustomRoute {
  return {
    path: USAGE_API_PATH,
    method: ['POST'],
    handler: (request, response) => {
      handleUsageRequest(request, options).then(
        (reply) => {
          sendJson(request, response, reply);
        },
        (error: unknown) => {
          options.logger.error({ err: error }, 'Usage API: recording usage failed');
          sendJson(request, response, {
            status: 500,
            body: { error: 'Recording usage failed on our side; nothing was recorded. Resending is safe.' },
          });
        },
      );
    },
  };
}

async function handleUsageRequest(request: IncomingMessage, options: UsageApiOptions): Promise<JsonReply> {
  if (options.token === undefined) {
    return { status: 503, body: { error: 'The usage API is off: set USAGE_API_TOKEN to enable it.' } };
  }
  if (!hasBearerToken(request.headers.authorization, options.token)) {
    options.logger.warn(
      { remoteAddress: request.socket.remoteAddress },
      'Usage API: refused a request without the right bearer token',
    );
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      body: { error: 'Missing or wrong token: send the header "Authorization: Bearer <USAGE_API_TOKEN>".' },
    };
  }
  if (!isJsonContentType(request.headers['content-type'])) {
    return {
      status: 415,
      body: { error: 'Expected a JSON body with the header "Content-Type: application/json".' },
    };
  }
  const body = await readBodyWithin(request, USAGE_BODY_LIMIT_BYTES);
  if (body === 'aborted') {
    return { status: 400, body: { error: 'The request body ended early; nothing was recorded.' } };
  }
  if (body === 'too_large') {
    return {
      status: 413,
      body: {
        error: `The body is over ${USAGE_BODY_LIMIT_BYTES.toLocaleString('en-US')} bytes (1 MiB); send the events in smaller batches.`,
      },
    };
  }
  const text = decodeUtf8(body);
  if (typeof text !== 'string') {
    return {
      status: 400,
      body: {
        error: `The body is not valid UTF-8 (byte offset ${text.offset}, counting from 0); send JSON encoded as UTF-8. Nothing was recorded.`,
        position: text.offset,
      },
    };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, position } = parsed;
    return { status: 400, body: { error: `The body is ${parsed.message}`, line, column, position } };
  }
  return recordUsageBatch(options.db, parsed.value, { source: 'api', logger: options.logger });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares digests, not the tokens, so neither the content nor the length leaks through timing. */
function hasBearerToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  const presented = match?.[1];
  if (presented === undefined) return false;
  return timingSafeEqual(sha256(presented), sha256(token));
}
