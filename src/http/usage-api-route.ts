import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Db } from '../db/database.ts';
import { countOf } from '../intake/intake-rows.ts';
import { parseJsonText } from '../intake/parse-json-text.ts';
import { recordUsage } from '../intake/record-usage.ts';
import type { Logger } from '../logger.ts';

export const USAGE_API_PATH = '/api/usage';
export const USAGE_BODY_LIMIT_BYTES = 1024 * 1024;
export const USAGE_EVENTS_LIMIT = 5000;

export interface UsageApiOptions {
  db: Db;
  /** USAGE_API_TOKEN; undefined turns the API off (503). */
  token: string | undefined;
  logger: Logger;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
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
          send(request, response, reply);
        },
        (error: unknown) => {
          options.logger.error({ err: error }, 'Usage API: recording usage failed');
          send(request, response, {
            status: 500,
            body: { error: 'Recording usage failed on our side; nothing was recorded. Resending is safe.' },
          });
        },
      );
    },
  };
}

async function handleUsageRequest(request: IncomingMessage, options: UsageApiOptions): Promise<Reply> {
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
  const parsed = parseJsonText(body.toString('utf8'));
  if (!parsed.ok) {
    const { line, column, position } = parsed;
    return { status: 400, body: { error: `The body is ${parsed.message}`, line, column, position } };
  }
  const events = eventsOf(parsed.value);
  if (events === undefined) {
    return {
      status: 400,
      body: { error: 'Expected a JSON object { "events": [ … ] } with a list of usage events.' },
    };
  }
  if (events.length > USAGE_EVENTS_LIMIT) {
    return {
      status: 413,
      body: {
        error: `${countOf(events.length, 'event')} in one request; send at most ${USAGE_EVENTS_LIMIT.toLocaleString('en-US')} per request.`,
        limit: USAGE_EVENTS_LIMIT,
      },
    };
  }

  const outcome = await recordUsage(
    options.db,
    events.map((data, index) => ({ row: index, data })),
    {
      source: 'api',
      skipInvalid: false,
      rowLabel: (index) => `events[${index}]`,
    },
  );
  if (outcome.code === 'invalid_rows') {
    return {
      status: 422,
      body: {
        error:
          `${outcome.invalidRows.toLocaleString('en-US')} of ${countOf(outcome.rows, 'event')} ` +
          `${outcome.invalidRows === 1 ? 'is' : 'are'} invalid; nothing was recorded. Fix them and send the whole batch again.`,
        problems: outcome.problems.map(({ row, field, message }) => ({ index: row, field, message })),
      },
    };
  }
  options.logger.info({ events: events.length, ...outcome.counts }, 'Usage API: recorded usage');
  return { status: 200, body: { recorded: outcome.counts.recorded, duplicates: outcome.counts.duplicates } };
}

function eventsOf(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('events' in body))
    return undefined;
  return Array.isArray(body.events) ? (body.events as unknown[]) : undefined;
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

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * The body; 'too_large' once it passes `limit` bytes (reading stops there, or before, by Content-Length);
 * 'aborted' when the client went away first.
 */
function readBodyWithin(request: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    // NOTE: a promise settles once, so 'close' after 'end' or after the limit changes nothing.
    request.once('close', () => {
      resolve('aborted');
    });
    request.once('error', () => {
      resolve('aborted');
    });
  });
}

function send(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  if (response.headersSent) return;
  // NOTE: a body we stopped reading (over the limit) cannot be skipped on a kept-alive connection, so that
  // connection closes. Other early answers leave the rest of a body to Node, which discards it.
  const stoppedReading = reply.status === 413 && !request.complete;
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(stoppedReading ? { connection: 'close' } : {}),
    ...reply.headers,
  });
  response.end(JSON.stringify(reply.body));
  if (stoppedReading) {
    response.once('finish', () => {
      request.destroy();
    });
  }
}
