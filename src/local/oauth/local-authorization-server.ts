import { randomBytes } from 'node:crypto';

// An OAuth 2 authorization server (RFC 6749 authorization-code grant) as Xero and Intuit run it, for
// the local ERP servers: codes, rotating refresh tokens with a grace period, Basic client auth.

export interface LocalAuthorizationServerOptions {
  clientId: string;
  clientSecret: string;
  now: () => Date;
  /** Xero 1800, QBO 3600. */
  accessTokenSeconds: number;
  /** How long a rotated-out refresh token may still be retried (Xero: 30 minutes). */
  refreshGraceSeconds?: number;
  /** How long an unused refresh token lives (Xero: 60 days, the default; QBO: 100 days). */
  refreshTokenSeconds?: number;
  /** QBO sends `x_refresh_token_expires_in` with every token answer; Xero does not. */
  announceRefreshExpiry?: boolean;
  /** Starts every code and token, so a log shows whose it is. */
  tokenPrefix: string;
}

export type AuthorizeResult = { redirect: string } | { error: string; status: 400 };

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface TokenRequestCounts {
  total: number;
  authorizationCode: number;
  refreshToken: number;
}

interface IssuedCode {
  redirectUri: string;
  scope: string;
  expiresAtMs: number;
}

interface IssuedRefreshToken {
  scope: string;
  expiresAtMs: number;
  /** When a refresh first replaced it; from then on only the grace period is left. */
  rotatedAtMs: number | undefined;
}

// NOTE: RFC 6749 §4.1.2 recommends codes live at most 10 minutes.
const CODE_LIFETIME_MS = 10 * 60_000;
const XERO_REFRESH_TOKEN_SECONDS = 60 * 24 * 3600;

const invalidGrant = (description: string): TokenAnswer => ({
  status: 400,
  body: { error: 'invalid_grant', error_description: description },
});

function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export class LocalAuthorizationServer {
  private readonly options: LocalAuthorizationServerOptions;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, IssuedRefreshToken>();
  private readonly accessTokens = new Map<string, number>();
  private readonly counts: TokenRequestCounts = { total: 0, authorizationCode: 0, refreshToken: 0 };

  constructor(options: LocalAuthorizationServerOptions) {
    this.options = options;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  get clientSecret(): string {
    return this.options.clientSecret;
  }

  /** How many token requests arrived (any outcome), in all and per supported grant type. */
  get tokenRequests(): TokenRequestCounts {
    return { ...this.counts };
  }

  /** The consent step. NOTE: a local sandbox has no user to ask, so consent is always given. */
  authorize(query: URLSearchParams, extraRedirectParams: Record<string, string> = {}): AuthorizeResult {
    const refuse = (error: string): AuthorizeResult => ({ error, status: 400 });
    if (query.get('client_id') !== this.options.clientId) return refuse('unknown client_id');
    const redirectUri = query.get('redirect_uri') ?? '';
    const redirect = httpUrl(redirectUri);
    if (redirect === undefined) return refuse('redirect_uri must be an absolute http(s) URL');
    if (query.get('response_type') !== 'code') return refuse("response_type must be 'code'");
    const scope = query.get('scope')?.trim() ?? '';
    if (scope === '') return refuse('scope is required');

    const code = this.newSecret('code');
    this.codes.set(code, { redirectUri, scope, expiresAtMs: this.nowMs() + CODE_LIFETIME_MS });
    redirect.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) redirect.searchParams.set('state', state);
    for (const [name, value] of Object.entries(extraRedirectParams)) redirect.searchParams.set(name, value);
    return { redirect: redirect.toString() };
  }

  /** The token endpoint: a form body and the Authorization header as sent. */
  token(form: URLSearchParams, authorization: string | undefined): TokenAnswer {
    this.counts.total += 1;
    if (!this.isClient(authorization)) return { status: 401, body: { error: 'invalid_client' } };
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      this.counts.authorizationCode += 1;
      return this.exchangeCode(form.get('code') ?? '', form.get('redirect_uri') ?? '');
    }
    if (grantType === 'refresh_token') {
      this.counts.refreshToken += 1;
      return this.refresh(form.get('refresh_token') ?? '');
    }
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }

  isValidAccessToken(token: string): boolean {
    const expiresAtMs = this.accessTokens.get(token);
    return expiresAtMs !== undefined && this.nowMs() < expiresAtMs;
  }

  /** The user disconnected the app: every code and token is dead. */
  revokeAll(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
  }

  /** Every access token issued so far expires now; refresh tokens keep working. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  private exchangeCode(code: string, redirectUri: string): TokenAnswer {
    const issued = this.codes.get(code);
    // NOTE: single use; a replayed code finds nothing.
    this.codes.delete(code);
    if (issued === undefined || this.nowMs() >= issued.expiresAtMs) {
      return invalidGrant('the code is unknown, used or expired');
    }
    if (issued.redirectUri !== redirectUri) {
      return invalidGrant('redirect_uri differs from the one the code was issued for');
    }
    return this.issuePair(issued.scope);
  }

  private refresh(refreshToken: string): TokenAnswer {
    const issued = this.refreshTokens.get(refreshToken);
    const nowMs = this.nowMs();
    const graceMs = (this.options.refreshGraceSeconds ?? 1800) * 1000;
    if (issued === undefined || nowMs >= issued.expiresAtMs) {
      return invalidGrant('the refresh token is unknown, revoked or expired');
    }
    if (issued.rotatedAtMs !== undefined && nowMs >= issued.rotatedAtMs + graceMs) {
      this.refreshTokens.delete(refreshToken);
      return invalidGrant('the refresh token was replaced and its grace period is over');
    }
    // NOTE: a retry within the grace period gets a fresh pair too; the earlier new pair stays valid.
    issued.rotatedAtMs ??= nowMs;
    return this.issuePair(issued.scope);
  }

  private issuePair(scope: string): TokenAnswer {
    const nowMs = this.nowMs();
    const { accessTokenSeconds } = this.options;
    const refreshSeconds = this.options.refreshTokenSeconds ?? XERO_REFRESH_TOKEN_SECONDS;
    const accessToken = this.newSecret('access');
    const refreshToken = this.newSecret('refresh');
    this.accessTokens.set(accessToken, nowMs + accessTokenSeconds * 1000);
    this.refreshTokens.set(refreshToken, {
      scope,
      expiresAtMs: nowMs + refreshSeconds * 1000,
      rotatedAtMs: undefined,
    });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: accessTokenSeconds,
        refresh_token: refreshToken,
        scope,
        ...(this.options.announceRefreshExpiry === true
          ? { x_refresh_token_expires_in: refreshSeconds }
          : {}),
      },
    };
  }

  private isClient(authorization: string | undefined): boolean {
    const encoded = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (encoded === undefined) return false;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    return decoded === `${this.options.clientId}:${this.options.clientSecret}`;
  }

  private newSecret(kind: string): string {
    return `${this.options.tokenPrefix}-${kind}-${randomBytes(18).toString('base64url')}`;
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }
}
