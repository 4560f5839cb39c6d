import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { z } from 'zod';
import { isJsonContentType, readBodyWithin, sendJson } from '../../http/http-body.ts';
import type { Logger } from '../../logger.ts';

// HTTP plumbing shared by the page's routes: who may use them, JSON in and out.

const BODY_LIMIT_BYTES = 256 * 1024;
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export class PageRequestError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The page acts as any person in the workspace, so it answers only a browser on this machine: the
 * connection must come from loopback and name a loopback host (a page elsewhere that resolves its own
 * name to 127.0.0.1 is refused), and a cross-site form cannot post JSON without a preflight we never allow.
 */
function refusal(request: IncomingMessage): string | undefined {
  if (!LOOPBACK_ADDRESSES.has(request.socket.remoteAddress ?? '')) {
    return 'The local workspace page answers only on this machine (loopback).';
  }
  const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (!LOOPBACK_HOSTS.has(host)) return 'Open the local workspace page at http://localhost.';
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null' && !LOOPBACK_HOSTS.has(hostnameOf(origin))) {
    return 'Requests from other sites are refused.';
  }
  return undefined;
}

function hostnameOf(origin: string): string {
  try {
    return new URL(origin).hostname.toLowerCase();
  } catch {
    return '';
  }
}

export type PageRequest = IncomingMessage & { params?: Record<string, string | string[]> };
export type PageHandler = (request: PageRequest, response: ServerResponse) => void;

/** A path parameter (`/local/files/:id`), or '' when the path has none by that name. */
export function pathParam(request: PageRequest, name: string): string {
  const value = request.params?.[name];
  return typeof value === 'string' ? value : '';
}

/** A route that refuses anything but a local browser, and answers a thrown error with JSON. */
export function pageRoute(
  path: string,
  method: 'GET' | 'POST',
  handler: PageHandler,
  logger: Logger,
): CustomRoute {
  return {
    path,
    method: [method],
    handler: (request, response) => {
      const refused = refusal(request);
      if (refused !== undefined) {
        sendJson(request, response, { status: 403, body: { error: refused } });
        return;
      }
      try {
        handler(request, response);
      } catch (error) {
        answerError(request, response, error, logger);
      }
    },
  };
}

/** A GET or POST answered with JSON from an async function; a PageRequestError becomes its status. */
export function jsonRoute(
  path: string,
  method: 'GET' | 'POST',
  answer: (request: PageRequest) => Promise<unknown>,
  logger: Logger,
): CustomRoute {
  return pageRoute(
    path,
    method,
    (request, response) => {
      answer(request).then(
        (body) => {
          sendJson(request, response, { status: 200, body: body as Record<string, unknown> });
        },
        (error: unknown) => {
          answerError(request, response, error, logger);
        },
      );
    },
    logger,
  );
}

function answerError(
  request: IncomingMessage,
  response: ServerResponse,
  error: unknown,
  logger: Logger,
): void {
  if (error instanceof PageRequestError) {
    sendJson(request, response, { status: error.status, body: { error: error.message } });
    return;
  }
  logger.error({ err: error }, 'Local workspace page: a request failed');
  const message = error instanceof Error ? error.message : String(error);
  sendJson(request, response, { status: 500, body: { error: message } });
}

/** The JSON body, checked by the schema; a wrong content type, size or shape is the caller's 4xx. */
export async function readJsonBody<T>(request: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  if (!isJsonContentType(request.headers['content-type'])) {
    throw new PageRequestError(415, 'Send JSON with "Content-Type: application/json".');
  }
  const body = await readBodyWithin(request, BODY_LIMIT_BYTES);
  if (body === 'too_large') throw new PageRequestError(413, 'The request body is too large.');
  if (body === 'aborted') throw new PageRequestError(400, 'The request body ended early.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PageRequestError(400, 'The request body is not JSON.');
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) {
    const problems = checked.error.issues.map(
      (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    throw new PageRequestError(400, `Bad request: ${problems.join('; ')}`);
  }
  return checked.data;
}

/** The query string of a request, for `?user=…`. */
export function queryOf(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://localhost').searchParams;
}

// Files the app made are shown in the browser only in types that cannot run script on this origin.
const INLINE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv']);

/** Answers with a file's bytes: shown inline when its type is harmless, else downloaded as opaque bytes. */
export function sendFile(
  response: ServerResponse,
  bytes: Buffer,
  options: { contentType: string; fileName: string },
): void {
  const inline = INLINE_TYPES.has(options.contentType);
  response.writeHead(200, {
    'content-type': inline ? options.contentType : 'application/octet-stream',
    'content-length': String(bytes.length),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(options.fileName)}`,
  });
  response.end(bytes);
}

/** Answers with one of the page's own assets. */
export function sendAsset(response: ServerResponse, bytes: Buffer, contentType: string): void {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(bytes.length),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (contentType.startsWith('text/html')) {
    headers['content-security-policy'] =
      "default-src 'self'; img-src 'self' data: http: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  }
  response.writeHead(200, headers);
  response.end(bytes);
}
