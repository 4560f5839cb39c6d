import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import type { LocalAuthorizationServer } from '../oauth/local-authorization-server.ts';
import { bearerToken } from '../oauth/oauth-http.ts';
import type { ApiCall } from './api-call.ts';
import { getInvoiceAttachments, putInvoiceAttachment } from './attachments-endpoint.ts';
import { getContacts, writeContacts } from './contacts-endpoint.ts';
import { allocateCreditNote, getCreditNotes, writeCreditNotes } from './credit-notes-endpoint.ts';
import type { FailurePlan, XeroFailure } from './failure-plan.ts';
import { IdempotencyCache, type RecordedAnswer } from './idempotency-cache.ts';
import { answerIdentity } from './identity-endpoints.ts';
import { getInvoices, writeInvoices } from './invoices-endpoint.ts';
import type { OrganisationBooks } from './org-books.ts';
import type { Remaining, TenantRateLimiter } from './rate-limits.ts';
import { badRequest, notFound, problem, type XeroAnswer } from './wire-format.ts';
import type { XeroRequest } from './xero-request.ts';

const API_PREFIX = ['api.xro', '2.0'];
// NOTE: Xero's Accounting API takes request bodies up to 3.5 MB; attachments up to about 10 MB.
const BODY_LIMIT_BYTES = 11 * 1024 * 1024;
const DEFAULT_HANG_MS = 120_000;

export interface Tenant {
  books: OrganisationBooks;
  limiter: TenantRateLimiter;
  name: string;
}

export interface ServerState {
  tenants: Map<string, Tenant>;
  /** The fixed bearer token the API always takes, besides those `oauth` issued and still honours. */
  accessToken: string;
  oauth: LocalAuthorizationServer;
  failures: FailurePlan;
  idempotency: IdempotencyCache;
  calls: ApiCall[];
  now: () => Date;
  latencyMs: number;
  baseUrl: string;
  hanging: Set<NodeJS.Timeout>;
}

type Endpoint = (request: XeroRequest) => XeroAnswer;

function acceptsToken(state: ServerState, token: string | undefined): boolean {
  return token !== undefined && (token === state.accessToken || state.oauth.isValidAccessToken(token));
}

/** Which endpoint serves a method and path (segments after /api.xro/2.0), and its resource name. */
function endpointFor(
  method: string,
  segments: string[],
): { endpoint: Endpoint; resource: string } | undefined {
  const [collection, id, sub, fileName] = segments;
  if (collection === 'Invoices' && sub === 'Attachments' && id !== undefined && segments.length <= 4) {
    if (method === 'GET') return { endpoint: getInvoiceAttachments, resource: 'Attachments' };
    if ((method === 'PUT' || method === 'POST') && fileName !== undefined) {
      return { endpoint: putInvoiceAttachment, resource: 'Attachments' };
    }
    return undefined;
  }
  if (collection === 'CreditNotes' && sub === 'Allocations' && id !== undefined && segments.length === 3) {
    return method === 'PUT' ? { endpoint: allocateCreditNote, resource: 'Allocations' } : undefined;
  }
  if (segments.length > 2) return undefined;
  if (collection === 'CreditNotes') {
    if (method === 'GET') return { endpoint: getCreditNotes, resource: 'CreditNotes' };
    if (id !== undefined) return undefined;
    if (method === 'PUT' || method === 'POST') return { endpoint: writeCreditNotes, resource: 'CreditNotes' };
  }
  if (collection === 'Invoices') {
    if (method === 'GET') return { endpoint: getInvoices, resource: 'Invoices' };
    // POST Invoices/{id} (xero-node updateInvoice): an update of that invoice, e.g. Status VOIDED.
    if (id !== undefined && method === 'POST') {
      return { endpoint: (r) => writeInvoices(r, 'upsert', id), resource: 'Invoices' };
    }
    if (id !== undefined) return undefined;
    if (method === 'PUT') return { endpoint: (r) => writeInvoices(r, 'create'), resource: 'Invoices' };
    if (method === 'POST') return { endpoint: (r) => writeInvoices(r, 'upsert'), resource: 'Invoices' };
  }
  if (collection === 'Contacts') {
    if (method === 'GET') return { endpoint: getContacts, resource: 'Contacts' };
    if (id !== undefined) return undefined;
    if (method === 'PUT') return { endpoint: (r) => writeContacts(r, 'create'), resource: 'Contacts' };
    if (method === 'POST') return { endpoint: (r) => writeContacts(r, 'upsert'), resource: 'Contacts' };
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) throw new RangeError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function encode(answer: XeroAnswer): RecordedAnswer {
  if (Buffer.isBuffer(answer.body))
    return { status: answer.status, headers: answer.headers ?? {}, body: answer.body };
  return {
    status: answer.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers },
    body: Buffer.from(JSON.stringify(answer.body)),
  };
}

function limitHeaders(remaining: Remaining): Record<string, string> {
  return {
    'x-minlimit-remaining': String(remaining.minute),
    'x-daylimit-remaining': String(remaining.day),
    'x-appminlimit-remaining': '9999',
  };
}

function send(response: ServerResponse, answer: RecordedAnswer, extra: Record<string, string> = {}): void {
  response.writeHead(answer.status, {
    ...answer.headers,
    ...extra,
    'content-length': String(answer.body.length),
  });
  response.end(answer.body);
}

function injectedAnswer(failure: Extract<XeroFailure, { kind: 'status' }>): XeroAnswer {
  if (failure.body !== undefined)
    return { status: failure.status, body: failure.body, headers: failure.headers };
  const answer =
    failure.status === 503
      ? problem(503, 'Service Unavailable', 'The Xero API is currently offline for maintenance.')
      : problem(failure.status, 'An error occurred', 'An error occurred in Xero. Check the API Status page.');
  return { ...answer, headers: failure.headers };
}

function fingerprint(method: string, path: string, body: Buffer): string {
  return createHash('sha256')
    .update(method)
    .update('\u0000')
    .update(path)
    .update('\u0000')
    .update(body)
    .digest('hex');
}

async function route(state: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  const method = (request.method ?? 'GET').toUpperCase();
  const segments = url.pathname
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent);
  const body = await readBody(request);
  const identity = {
    oauth: state.oauth,
    acceptsToken: (token: string | undefined) => acceptsToken(state, token),
    tenants: () =>
      [...state.tenants.entries()].map(([tenantId, tenant]) => ({ tenantId, tenantName: tenant.name })),
    now: state.now,
  };
  if (answerIdentity(identity, { method, url, headers: request.headers, body }, response)) return;

  const at = state.now();
  const headerText = (name: string): string | undefined => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const tenantId = headerText('xero-tenant-id');
  const idempotencyKey = headerText('idempotency-key');
  const call: ApiCall = {
    at,
    tenantId,
    method,
    path: `${url.pathname}${url.search}`,
    idempotencyKey,
    status: 0,
    rateLimitProblem: undefined,
    replayed: false,
    injected: undefined,
  };
  state.calls.push(call);
  const answer = (recorded: RecordedAnswer, extra: Record<string, string> = {}): void => {
    call.status = recorded.status;
    send(response, recorded, extra);
  };

  if (segments[0] !== API_PREFIX[0] || segments[1] !== API_PREFIX[1]) {
    answer(encode(notFound()));
    return;
  }
  if (!acceptsToken(state, bearerToken(headerText('authorization')))) {
    answer(encode(problem(401, 'Unauthorized', 'AuthenticationUnsuccessful')), {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
    return;
  }
  const tenant = tenantId === undefined ? undefined : state.tenants.get(tenantId);
  if (tenant === undefined) {
    answer(encode(problem(403, 'Forbidden', 'AuthenticationUnsuccessful')));
    return;
  }
  const admission = tenant.limiter.admit(at.getTime());
  if (!admission.admitted) {
    call.rateLimitProblem = admission.problem;
    // NOTE: Xero sends Retry-After for the minute and day limits only; the concurrent limit's 429 has
    // none (developer.xero.com/documentation/guides/oauth2/limits; issue 19).
    answer(encode(problem(429, 'Too Many Requests', 'Rate limit exceeded')), {
      ...limitHeaders(admission.remaining),
      ...(admission.problem === 'concurrent' ? {} : { 'retry-after': String(admission.retryAfterSeconds) }),
      'x-rate-limit-problem': admission.problem,
    });
    return;
  }
  response.once('close', admission.release);
  const rateHeaders = limitHeaders(admission.remaining);
  if (state.latencyMs > 0) await sleep(state.latencyMs);

  const apiSegments = segments.slice(2);
  const found = endpointFor(method, apiSegments);
  if (found === undefined) {
    answer(encode(notFound()), rateHeaders);
    return;
  }
  const isWrite = method === 'PUT' || method === 'POST';
  const failure = state.failures.take(method, found.resource, isWrite);
  call.injected = failure?.kind;
  if (failure?.kind === 'status') {
    answer(encode(injectedAnswer(failure)), rateHeaders);
    return;
  }

  // NOTE: Xero checks rate limits before the idempotency key, so a replay still costs a call.
  let settle: ((recorded: RecordedAnswer | undefined) => void) | undefined;
  if (isWrite && idempotencyKey !== undefined && idempotencyKey !== '') {
    const claim = state.idempotency.claim(
      tenantId ?? '',
      idempotencyKey,
      fingerprint(method, call.path, body),
      at.getTime(),
    );
    if (claim.kind === 'mismatch') {
      answer(
        encode(
          badRequest('ValidationException', 'This Idempotency-Key was already used for a different request.'),
        ),
        rateHeaders,
      );
      return;
    }
    const earlier =
      claim.kind === 'replay' ? claim.answer : claim.kind === 'in_progress' ? await claim.settled : undefined;
    if (earlier !== undefined) {
      call.replayed = true;
      answer(earlier, rateHeaders);
      return;
    }
    if (claim.kind === 'new') settle = claim.settle;
  }

  let recorded: RecordedAnswer;
  try {
    recorded = encode(
      found.endpoint({
        method,
        segments: apiSegments,
        query: url.searchParams,
        body,
        contentType: headerText('content-type'),
        books: tenant.books,
        now: at,
        baseUrl: state.baseUrl,
        injectedValidation: failure?.kind === 'validation' ? failure.message : undefined,
      }),
    );
  } catch (error) {
    settle?.(undefined);
    throw error;
  }
  settle?.(recorded);

  if (failure?.kind === 'timeout_after_commit') {
    call.status = recorded.status;
    const timer = setTimeout(() => {
      state.hanging.delete(timer);
      request.socket.destroy();
    }, failure.hangMs ?? DEFAULT_HANG_MS);
    state.hanging.add(timer);
    return;
  }
  if (failure?.kind === 'reset_after_commit') {
    call.status = recorded.status;
    request.socket.destroy();
    return;
  }
  answer(recorded, rateHeaders);
}

/** The local Xero's HTTP face: /api.xro/2.0/… plus the OAuth endpoints and /connections. */
export function createLocalXeroServer(state: ServerState): Server {
  return createServer((request, response) => {
    route(state, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.end();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const status = error instanceof RangeError ? 413 : 500;
      send(response, encode(problem(status, 'An error occurred', `local Xero: ${message}`)));
    });
  });
}
