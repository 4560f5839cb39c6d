import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { LocalAuthorizationServer } from '../oauth/local-authorization-server.ts';
import type { ApiCall } from './api-call.ts';
import { FailurePlan, type FailureMatch, type XeroFailure } from './failure-plan.ts';
import { createLocalXeroServer, type ServerState, type Tenant } from './http-server.ts';
import { IdempotencyCache } from './idempotency-cache.ts';
import { XERO_OAUTH_ROUTES } from './identity-endpoints.ts';
import {
  OrganisationBooks,
  type StoredAttachment,
  type StoredContact,
  type StoredCreditNote,
  type StoredInvoice,
} from './org-books.ts';
import { defaultOrganisationChart, type OrganisationChart } from './org-chart.ts';
import { applyPayment } from './payments.ts';
import { TenantRateLimiter, xeroLimits, type XeroLimits } from './rate-limits.ts';

export const LOCAL_XERO_TENANT_ID = '3f9a1c52-7d4e-4b8a-9c61-0e5b2d7f8a10';
export const LOCAL_XERO_ACCESS_TOKEN = 'local-xero-access-token';

export interface LocalXeroOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The API's clock: rate-limit windows and idempotency expiry. Tests and benches move it instead of waiting. */
  now?: () => Date;
  /** A bearer token the API always accepts, besides the ones its OAuth flow issues. */
  accessToken?: string;
  /** The app's OAuth client credentials (defaults 'local-xero-client' / 'local-xero-secret'). */
  clientId?: string;
  clientSecret?: string;
  /** Connected organisations; the first is `tenantId`. */
  tenantIds?: readonly string[];
  limits?: Partial<XeroLimits>;
  /** Real milliseconds every admitted call takes, so calls overlap (concurrency limits, benches). */
  latencyMs?: number;
  chart?: Partial<OrganisationChart>;
}

/** A running local Xero Accounting API (2.0) for development, tests and benches. */
export class LocalXero {
  /** The server's origin: http://127.0.0.1:PORT */
  readonly url: string;
  /** What xero-node's AccountingApi.basePath should be: `${url}/api.xro/2.0`. */
  readonly apiUrl: string;
  /** The first connected organisation. */
  readonly tenantId: string;
  /** Where the app sends the user to connect (login.xero.com/identity/connect/authorize). */
  readonly authorizeUrl: string;
  /** The token endpoint (identity.xero.com/connect/token). */
  readonly tokenUrl: string;
  /** api.xero.com/connections: the tenants a token may use. */
  readonly connectionsUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The authorization server behind the OAuth endpoints: revokeAll(), expireAccessTokens(), counters. */
  readonly oauth: LocalAuthorizationServer;
  private readonly state: ServerState;
  private readonly server: Server;

  constructor(state: ServerState, server: Server, tenantId: string) {
    this.state = state;
    this.server = server;
    this.url = state.baseUrl;
    this.apiUrl = `${state.baseUrl}/api.xro/2.0`;
    this.tenantId = tenantId;
    this.authorizeUrl = `${state.baseUrl}${XERO_OAUTH_ROUTES.authorizePath}`;
    this.tokenUrl = `${state.baseUrl}${XERO_OAUTH_ROUTES.tokenPath}`;
    this.connectionsUrl = `${state.baseUrl}/connections`;
    this.oauth = state.oauth;
    this.clientId = state.oauth.clientId;
    this.clientSecret = state.oauth.clientSecret;
  }

  get accessToken(): string {
    return this.state.accessToken;
  }

  /** Rotates the fixed token: calls with the old one get 401 from now on (issued tokens are unaffected). */
  setAccessToken(token: string): void {
    this.state.accessToken = token;
  }

  setLatency(ms: number): void {
    this.state.latencyMs = ms;
  }

  /** Makes the next `times` matching calls fail; see XeroFailure. */
  failNext(failure: XeroFailure, options: FailureMatch & { times?: number } = {}): void {
    const { times = 1, ...match } = options;
    this.state.failures.add(failure, match, times);
  }

  clearFailures(): void {
    this.state.failures.clear();
  }

  private books(tenantId: string): OrganisationBooks {
    const tenant = this.state.tenants.get(tenantId);
    if (tenant === undefined) throw new RangeError(`tenant ${tenantId} is not connected to the local Xero`);
    return tenant.books;
  }

  invoices(tenantId = this.tenantId): StoredInvoice[] {
    return [...this.books(tenantId).invoices.values()].map((invoice) => structuredClone(invoice));
  }

  creditNotes(tenantId = this.tenantId): StoredCreditNote[] {
    return [...this.books(tenantId).creditNotes.values()].map((note) => structuredClone(note));
  }

  contacts(tenantId = this.tenantId): StoredContact[] {
    return [...this.books(tenantId).contacts.values()].map((contact) => structuredClone(contact));
  }

  attachments(tenantId = this.tenantId): StoredAttachment[] {
    return this.books(tenantId).attachments.map((attachment) => ({
      ...attachment,
      bytes: Buffer.from(attachment.bytes),
    }));
  }

  /**
   * A customer's payment against one of the organisation's sales invoices, as someone entering it in
   * Xero would; refused like Xero refuses it (not approved, more than is due). Returns its PaymentID.
   */
  addPayment(
    invoiceNumber: string,
    amount: string,
    date: string,
    options: { tenantId?: string; reference?: string } = {},
  ): string {
    const books = this.books(options.tenantId ?? this.tenantId);
    const entry = { invoiceNumber, amount, date, reference: options.reference };
    return applyPayment(books, entry, this.state.now()).paymentId;
  }

  /** Every call received (all tenants unless one is named), oldest first. */
  calls(tenantId?: string): ApiCall[] {
    return this.state.calls
      .filter((call) => tenantId === undefined || call.tenantId === tenantId)
      .map((call) => ({ ...call }));
  }

  async stop(): Promise<void> {
    for (const timer of this.state.hanging) clearTimeout(timer);
    this.state.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => {
        if (error === undefined) resolve();
        else reject(error);
      });
    });
  }
}

/** Starts the local Xero on 127.0.0.1 with one organisation set up like billing.example.yml. */
export async function startLocalXero(options: LocalXeroOptions = {}): Promise<LocalXero> {
  const limits: XeroLimits = { ...xeroLimits, ...options.limits };
  const chart: OrganisationChart = { ...defaultOrganisationChart, ...options.chart };
  const tenantIds = options.tenantIds ?? [LOCAL_XERO_TENANT_ID];
  const [firstTenant] = tenantIds;
  if (firstTenant === undefined) throw new RangeError('the local Xero needs at least one tenant');
  const tenants = new Map<string, Tenant>(
    tenantIds.map((tenantId, index) => [
      tenantId,
      {
        books: new OrganisationBooks(tenantId, chart),
        limiter: new TenantRateLimiter(limits),
        name: index === 0 ? 'billops Demo Ltd' : `billops Demo ${index + 1}`,
      },
    ]),
  );
  const now = options.now ?? (() => new Date());
  const state: ServerState = {
    tenants,
    accessToken: options.accessToken ?? LOCAL_XERO_ACCESS_TOKEN,
    // NOTE: Xero access tokens last 30 minutes; a rotated-out refresh token may be retried for 30 more.
    oauth: new LocalAuthorizationServer({
      clientId: options.clientId ?? 'local-xero-client',
      clientSecret: options.clientSecret ?? 'local-xero-secret',
      now,
      accessTokenSeconds: 1800,
      refreshGraceSeconds: 1800,
      tokenPrefix: 'local-xero',
    }),
    failures: new FailurePlan(),
    idempotency: new IdempotencyCache(),
    calls: [],
    now,
    latencyMs: options.latencyMs ?? 0,
    baseUrl: '',
    hanging: new Set(),
  };
  const server = createLocalXeroServer(state);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://${host}:${port}`;
  return new LocalXero(state, server, firstTenant);
}
