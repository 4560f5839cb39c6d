import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

import { LocalAuthorizationServer } from '../../../src/local/oauth/local-authorization-server.ts';
import { answerOAuthRequest, bearerToken } from '../../../src/local/oauth/oauth-http.ts';
import { answerApiRequest } from './api-routes.ts';
import { Company, defaultCatalog, type CompanyCatalog, type LocalAttachment } from './company.ts';
import {
  quickBooksConcurrentLimit,
  quickBooksRateLimits,
  RequestWindows,
  type RateLimits,
} from './rate-limits.ts';
import { faultBody, qboTime, QuickBooksFault, textOf, type Answer, type JsonObject } from './wire.ts';

// A local QuickBooks Online: an HTTP server on 127.0.0.1 speaking the QBO v3 wire format as
// node-quickbooks sends and expects it (/v3/company/{realmId}/…, PascalCase JSON, Fault bodies).
// It checks the bearer token, throttles per realm like QBO, replays a repeated `requestid`, and lets
// tests inject the failures a real one has (5xx, faults, a commit whose answer never arrives).

export type InjectedFailure =
  /** Answers with this status and a SystemFault body; nothing is done. */
  | { kind: 'status'; status: number }
  /** Answers 400 with this Fault; nothing is done. */
  | { kind: 'fault'; code: string; message: string; detail?: string; status?: number }
  /** Does the work (and remembers it under the requestid), then never answers until stop(). */
  | { kind: 'timeout_after_commit' }
  /** Does the work, then cuts the connection without answering. */
  | { kind: 'reset_after_commit' };

export interface FailureOptions {
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Only requests to this resource: 'invoice', 'customer', 'query', 'batch', 'upload', 'attachable'. */
  resource?: string;
}

export interface LocalQuickBooksCall {
  at: Date;
  method: string;
  /** The path without query string. */
  path: string;
  realmId: string;
  resource: string;
  query: string | undefined;
  requestId: string | undefined;
  minorVersion: string | undefined;
  status: number;
  /** Answered from the requestid cache: nothing was done again. */
  replayed: boolean;
  throttled: boolean;
  injected: InjectedFailure['kind'] | undefined;
}

export interface LocalQuickBooksOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The clock the rate limits and timestamps use. */
  now?: () => Date;
  /** A bearer token the server always accepts (default 'local-quickbooks-token'), besides issued ones. */
  accessToken?: string;
  /** The app's OAuth client credentials (defaults 'local-quickbooks-client' / 'local-quickbooks-secret'). */
  clientId?: string;
  clientSecret?: string;
  /** Items, classes, departments and tax codes every realm starts with. */
  catalog?: Partial<CompanyCatalog>;
  limits?: Partial<RateLimits>;
  /** How long each API request takes to answer (default 0), so requests overlap as they do in QBO. */
  latencyMs?: number;
}

export interface LocalQuickBooks {
  /** `http://127.0.0.1:<port>`: the adapter's apiUrl. */
  readonly url: string;
  readonly port: number;
  readonly accessToken: string;
  /** Every realm is accepted; this one is handy for tests, and the OAuth callback carries it. */
  readonly realmId: string;
  /** appcenter.intuit.com/connect/oauth2: where the app sends the user to connect. */
  readonly authorizeUrl: string;
  /** oauth.platform.intuit.com/oauth2/v1/tokens/bearer. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The authorization server behind the OAuth endpoints: revokeAll(), expireAccessTokens(), counters. */
  readonly oauth: LocalAuthorizationServer;
  /** Changes the fixed token: calls with the old one get 401 (issued tokens are unaffected). */
  setAccessToken(token: string): void;
  failNext(failure: InjectedFailure, options?: FailureOptions): void;
  clearFailures(): void;
  invoices(realmId?: string): JsonObject[];
  creditMemos(realmId?: string): JsonObject[];
  customers(realmId?: string): JsonObject[];
  attachments(realmId?: string): LocalAttachment[];
  payments(realmId?: string): JsonObject[];
  /**
   * A customer's payment received in QuickBooks, applied to the invoice with this DocNumber (and, with
   * `alsoPays`, to more of the customer's invoices, as one payment). Returns the Payment's Id.
   */
  addPayment(
    invoiceNumber: string,
    amount: string,
    date: string,
    options?: { realmId?: string; alsoPays?: readonly { invoiceNumber: string; amount: string }[] },
  ): string;
  calls(): readonly LocalQuickBooksCall[];
  stop(): Promise<void>;
}

/** A request past the token and concurrency checks. */
interface AdmittedRequest {
  call: LocalQuickBooksCall;
  realmId: string;
  resourcePath: string[];
  resource: string;
  requestId: string | undefined;
  url: URL;
  request: IncomingMessage;
  body: Buffer;
  at: Date;
  answer: (result: Answer) => void;
}

interface PlannedFailure {
  failure: InjectedFailure;
  remaining: number;
  resource: string | undefined;
}

const bodyLimitBytes = 40 * 1024 * 1024;
const LOCAL_REALM_ID = '9341453050000001';
const OAUTH_ROUTES = {
  authorizePath: '/connect/oauth2',
  tokenPath: '/oauth2/v1/tokens/bearer',
  redirectParams: { realmId: LOCAL_REALM_ID },
};

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > bodyLimitBytes) throw new Error(`Request body over ${bodyLimitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8', ...answer.headers });
  response.end(JSON.stringify(answer.body));
}

function systemFault(status: number, time: string): Answer {
  return {
    status,
    body: faultBody(
      'SystemFault',
      {
        Message: 'An application error has occurred while processing your request',
        Detail:
          'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.',
        code: '10000',
      },
      time,
    ),
  };
}

/** 401 bodies really are lowercase in QBO (FACTS §2.5). */
function authenticationFailed(): Answer {
  return {
    status: 401,
    body: {
      fault: {
        error: [
          {
            message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
            detail: 'Token expired or invalid',
            code: '3200',
          },
        ],
        type: 'AUTHENTICATION',
      },
    },
    headers: { 'www-authenticate': 'Bearer realm="Intuit", error="invalid_token"' },
  };
}

/**
 * NOTE: developer.intuit.com/hub/blog/2016/08/08/idg-concurrent-api-use-changes-coming-soon: more than 10
 * concurrent requests to one realm from one app get "HTTP/1.1 429 Too Many Requests"; nothing says a
 * Retry-After comes with it, so none does here (the limits page says: wait before retrying).
 */
function tooManyInFlight(time: string): Answer {
  const answer = throttled(1, time);
  return { ...answer, headers: {} };
}

function throttled(retryAfterSeconds: number, time: string): Answer {
  return {
    status: 429,
    body: faultBody(
      'ThrottleFault',
      {
        Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
        Detail: `The request limit for this company has been reached. Wait ${retryAfterSeconds} seconds and try again.`,
        code: '3001',
      },
      time,
    ),
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

/** Starts the local QuickBooks; resolves once it listens on 127.0.0.1. */
export async function startLocalQuickBooks(options: LocalQuickBooksOptions = {}): Promise<LocalQuickBooks> {
  const now = options.now ?? (() => new Date());
  const catalog: CompanyCatalog = { ...defaultCatalog, ...options.catalog };
  const windows = new RequestWindows({ ...quickBooksRateLimits, ...options.limits });
  const companies = new Map<string, Company>();
  const replays = new Map<string, Answer>();
  const failures: PlannedFailure[] = [];
  const calls: LocalQuickBooksCall[] = [];
  const held = new Set<Socket>();
  const inFlight = new Map<string, number>();
  let accessToken = options.accessToken ?? 'local-quickbooks-token';
  // NOTE: Intuit access tokens last an hour; refresh tokens 100 days, rolling (FACTS §2.8).
  const oauth = new LocalAuthorizationServer({
    clientId: options.clientId ?? 'local-quickbooks-client',
    clientSecret: options.clientSecret ?? 'local-quickbooks-secret',
    now,
    accessTokenSeconds: 3600,
    refreshGraceSeconds: 1800,
    refreshTokenSeconds: 100 * 24 * 3600,
    announceRefreshExpiry: true,
    tokenPrefix: 'local-quickbooks',
  });

  const companyFor = (realmId: string): Company => {
    const existing = companies.get(realmId);
    if (existing !== undefined) return existing;
    const company = new Company(realmId, catalog);
    companies.set(realmId, company);
    return company;
  };

  const takeFailure = (resource: string): InjectedFailure | undefined => {
    const index = failures.findIndex((plan) => plan.resource === undefined || plan.resource === resource);
    const plan = failures[index];
    if (plan === undefined) return undefined;
    plan.remaining -= 1;
    if (plan.remaining <= 0) failures.splice(index, 1);
    return plan.failure;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://local');
    const segments = url.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map(decodeURIComponent);
    const body = await readBody(request);
    const method = (request.method ?? 'GET').toUpperCase();
    if (answerOAuthRequest(oauth, OAUTH_ROUTES, { method, url, headers: request.headers, body }, response)) {
      return;
    }
    const at = now();
    const time = qboTime(at);
    if (
      segments[0] !== 'v3' ||
      segments[1] !== 'company' ||
      segments[2] === undefined ||
      segments.length < 4
    ) {
      send(response, { status: 404, body: { error: 'not_found', path: url.pathname } });
      return;
    }
    const realmId = segments[2];
    const resourcePath = segments.slice(3);
    const resource = (resourcePath[0] ?? '').toLowerCase();
    const requestId = url.searchParams.get('requestid') ?? undefined;
    const call: LocalQuickBooksCall = {
      at,
      method: request.method ?? 'GET',
      path: url.pathname,
      realmId,
      resource,
      query: resource === 'query' ? (url.searchParams.get('query') ?? body.toString('utf8')) : undefined,
      requestId,
      minorVersion: url.searchParams.get('minorversion') ?? undefined,
      status: 0,
      replayed: false,
      throttled: false,
      injected: undefined,
    };
    calls.push(call);
    const answer = (result: Answer): void => {
      call.status = result.status;
      send(response, result);
    };

    const bearer = bearerToken(request.headers.authorization);
    if (bearer === undefined || (bearer !== accessToken && !oauth.isValidAccessToken(bearer))) {
      answer(authenticationFailed());
      return;
    }
    const running = inFlight.get(realmId) ?? 0;
    if (running >= quickBooksConcurrentLimit) {
      call.throttled = true;
      answer(tooManyInFlight(time));
      return;
    }
    inFlight.set(realmId, running + 1);
    try {
      await answerAdmitted({
        call,
        realmId,
        resourcePath,
        resource,
        requestId,
        url,
        request,
        body,
        at,
        answer,
      });
    } finally {
      inFlight.set(realmId, (inFlight.get(realmId) ?? 1) - 1);
    }
  };

  const answerAdmitted = async ({
    call,
    realmId,
    resourcePath,
    resource,
    requestId,
    url,
    request,
    body,
    at,
    answer,
  }: AdmittedRequest): Promise<void> => {
    const time = qboTime(at);
    if (options.latencyMs !== undefined)
      await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const admission = windows.admit(realmId, at.getTime(), resource === 'batch');
    if (!admission.admitted) {
      call.throttled = true;
      answer(throttled(admission.retryAfterSeconds, time));
      return;
    }
    const failure = takeFailure(resource);
    call.injected = failure?.kind;
    if (failure?.kind === 'status') {
      answer(systemFault(failure.status, time));
      return;
    }
    if (failure?.kind === 'fault') {
      answer({
        status: failure.status ?? 400,
        body: faultBody(
          'ValidationFault',
          { Message: failure.message, Detail: failure.detail ?? failure.message, code: failure.code },
          time,
        ),
      });
      return;
    }

    const replayKey = requestId === undefined ? undefined : `${realmId}\u0000${requestId}`;
    const replay = replayKey === undefined ? undefined : replays.get(replayKey);
    let result: Answer;
    if (replay !== undefined) {
      call.replayed = true;
      result = replay;
    } else {
      try {
        result = answerApiRequest(companyFor(realmId), {
          verb: (request.method ?? 'GET').toUpperCase(),
          resource: resourcePath,
          params: url.searchParams,
          contentType: request.headers['content-type'] ?? '',
          body,
          now: at,
        });
      } catch (error) {
        if (!(error instanceof QuickBooksFault)) throw error;
        result = { status: error.status, body: error.body(time) };
      }
      // NOTE: only successes are remembered: whether QBO also replays a refusal is not documented.
      if (replayKey !== undefined && result.status < 300) replays.set(replayKey, result);
    }

    if (failure?.kind === 'timeout_after_commit') {
      call.status = 0;
      held.add(request.socket);
      request.socket.once('close', () => held.delete(request.socket));
      return;
    }
    if (failure?.kind === 'reset_after_commit') {
      call.status = 0;
      request.socket.destroy();
      return;
    }
    answer(result);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.end();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      send(response, { status: 500, body: { error: 'local_quickbooks_failure', message } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const all = <T>(realmId: string | undefined, pick: (company: Company) => T[]): T[] =>
    [...companies.values()]
      .filter((company) => realmId === undefined || company.realmId === realmId)
      .flatMap(pick);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get accessToken() {
      return accessToken;
    },
    realmId: LOCAL_REALM_ID,
    authorizeUrl: `http://127.0.0.1:${port}${OAUTH_ROUTES.authorizePath}`,
    tokenUrl: `http://127.0.0.1:${port}${OAUTH_ROUTES.tokenPath}`,
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    oauth,
    setAccessToken(token) {
      accessToken = token;
    },
    failNext(failure, failureOptions = {}) {
      failures.push({ failure, remaining: failureOptions.times ?? 1, resource: failureOptions.resource });
    },
    clearFailures() {
      failures.length = 0;
    },
    invoices: (realmId) =>
      all(realmId, (company) => [...company.invoices.values()].map((invoice) => structuredClone(invoice))),
    creditMemos: (realmId) =>
      all(realmId, (company) => [...company.creditMemos.values()].map((memo) => structuredClone(memo))),
    customers: (realmId) =>
      all(realmId, (company) => [...company.customers.values()].map((customer) => structuredClone(customer))),
    attachments: (realmId) =>
      all(realmId, (company) => [...company.files.values()].map((file) => ({ ...file }))),
    payments: (realmId) =>
      all(realmId, (company) => [...company.payments.values()].map((payment) => structuredClone(payment))),
    addPayment(invoiceNumber, amount, date, paymentOptions = {}) {
      const applications = [{ invoiceNumber, amount }, ...(paymentOptions.alsoPays ?? [])];
      const company = companyFor(paymentOptions.realmId ?? LOCAL_REALM_ID);
      return textOf(company.receivePayment(applications, date, now()).Id);
    },
    calls: () => calls,
    async stop() {
      for (const socket of held) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
