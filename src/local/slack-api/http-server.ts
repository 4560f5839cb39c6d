import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { parseApiArguments, readBody, uploadedBytes } from './request-body.ts';
import { answerResponseUrlPost } from './response-urls.ts';
import { answerWebApiCall, type FailurePlan } from './web-api.ts';
import type { ChannelPostingLimit } from './posting-limit.ts';
import type { WorkspaceState } from './workspace-state.ts';

export interface LocalSlackLogger {
  debug(details: object, message?: string): void;
  warn(details: object, message?: string): void;
}

export interface ServerDependencies {
  state: WorkspaceState;
  failures: FailurePlan;
  botToken: string;
  /** chat.postMessage's per-channel pace (429 with Retry-After past it). */
  postingLimit?: ChannelPostingLimit;
  logger?: LocalSlackLogger;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

async function route(
  deps: ServerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { state } = deps;
  const url = new URL(request.url ?? '/', 'http://local');
  const parts = url.pathname
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent);
  const verb = request.method ?? 'GET';
  const contentType = request.headers['content-type'];

  if (parts[0] === 'api' && parts.length === 2 && parts[1] !== undefined) {
    const body = await readBody(request);
    const queryArgs = Object.fromEntries(url.searchParams);
    const args = { ...queryArgs, ...parseApiArguments(contentType, body) };
    const answer = answerWebApiCall(
      state,
      deps.failures,
      deps.botToken,
      { method: parts[1], authorization: request.headers.authorization, args },
      deps.postingLimit,
    );
    deps.logger?.debug(
      { method: parts[1], ok: answer.body.ok, error: answer.body.error },
      'local slack api call',
    );
    sendJson(response, answer.status, answer.body, answer.headers);
    return;
  }

  if (verb === 'POST' && parts[0] === 'upload' && parts[1] === 'v1' && parts[2] !== undefined) {
    const bytes = uploadedBytes(contentType, await readBody(request));
    if (!state.storeFileBytes(parts[2], bytes)) {
      sendText(response, 404, 'file_not_found');
      return;
    }
    sendText(response, 200, `OK - ${bytes.length}`);
    return;
  }

  if (verb === 'POST' && parts[0] === 'response-url' && parts[1] !== undefined) {
    const raw = (await readBody(request)).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      sendJson(response, 400, { ok: false, error: 'invalid_payload' });
      return;
    }
    const answer = answerResponseUrlPost(state, parts[1], body);
    sendJson(response, answer.status, answer.body);
    return;
  }

  if (verb === 'GET' && parts[0] === 'files' && parts[1] !== undefined) {
    if (request.headers.authorization !== `Bearer ${deps.botToken}`) {
      sendText(response, 403, 'not_authed');
      return;
    }
    const file = state.file(parts[1]);
    if (file?.bytes === undefined) {
      sendText(response, 404, 'file_not_found');
      return;
    }
    response.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) });
    response.end(file.bytes);
    return;
  }

  sendText(response, 404, 'not_found');
}

/** The local Slack's HTTP face: Web API under /api/, upload URLs, response URLs and file downloads. */
export function createLocalSlackServer(deps: ServerDependencies): Server {
  return createServer((request, response) => {
    route(deps, request, response).catch((error: unknown) => {
      deps.logger?.warn({ err: error, url: request.url }, 'local slack request failed');
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: 'internal_error' });
      else response.end();
    });
  });
}
