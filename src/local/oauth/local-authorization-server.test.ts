import { beforeEach, describe, expect, it } from 'vitest';

import { LocalAuthorizationServer, type TokenAnswer } from './local-authorization-server.ts';

const REDIRECT = 'https://billops.example.com/oauth/callback';
const BASIC = `Basic ${Buffer.from('client:secret').toString('base64')}`;

let clockMs: number;
let server: LocalAuthorizationServer;

beforeEach(() => {
  clockMs = Date.parse('2026-11-21T09:00:00Z');
  server = new LocalAuthorizationServer({
    clientId: 'client',
    clientSecret: 'secret',
    now: () => new Date(clockMs),
    accessTokenSeconds: 1800,
    refreshGraceSeconds: 1800,
    tokenPrefix: 'test',
  });
});

function authorizeQuery(overrides: Record<string, string | undefined> = {}): URLSearchParams {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'client',
    redirect_uri: REDIRECT,
    scope: 'accounting.invoices offline_access',
    state: 'csrf-1',
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) query.delete(name);
    else query.set(name, value);
  }
  return query;
}

function codeFrom(query = authorizeQuery(), extras?: Record<string, string>): URL {
  const result = server.authorize(query, extras);
  if (!('redirect' in result)) throw new Error(`authorize refused: ${result.error}`);
  return new URL(result.redirect);
}

function exchange(code: string, redirectUri = REDIRECT, authorization = BASIC): TokenAnswer {
  return server.token(
    new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
    authorization,
  );
}

function refresh(refreshToken: string): TokenAnswer {
  return server.token(
    new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    BASIC,
  );
}

function tokensOf(answer: TokenAnswer): { access: string; refresh: string } {
  expect(answer.status).toBe(200);
  const { access_token: access, refresh_token: refreshToken } = answer.body;
  if (typeof access !== 'string' || typeof refreshToken !== 'string') throw new Error('no token pair');
  return { access, refresh: refreshToken };
}

function connect(): { access: string; refresh: string } {
  return tokensOf(exchange(codeFrom().searchParams.get('code') ?? ''));
}

describe('LocalAuthorizationServer.authorize', () => {
  it('redirects to the redirect_uri with a code, the state and the extras', () => {
    const redirect = codeFrom(authorizeQuery(), { realmId: '123' });
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('code')).toMatch(/^test-code-/);
    expect(redirect.searchParams.get('state')).toBe('csrf-1');
    expect(redirect.searchParams.get('realmId')).toBe('123');
  });

  it.each([
    [{ response_type: 'token' }, "response_type must be 'code'"],
    [{ client_id: 'someone-else' }, 'unknown client_id'],
    [{ redirect_uri: undefined }, 'redirect_uri must be an absolute http(s) URL'],
    [{ redirect_uri: 'javascript:alert(1)' }, 'redirect_uri must be an absolute http(s) URL'],
    [{ scope: ' ' }, 'scope is required'],
  ])('refuses %o', (overrides, error) => {
    expect(server.authorize(authorizeQuery(overrides))).toEqual({ error, status: 400 });
  });
});

describe('LocalAuthorizationServer.token', () => {
  it('exchanges a code once for a Bearer pair', () => {
    const code = codeFrom().searchParams.get('code') ?? '';
    const first = exchange(code);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });
    expect(first.body).not.toHaveProperty('x_refresh_token_expires_in');
    expect(server.isValidAccessToken(tokensOf(first).access)).toBe(true);
    expect(exchange(code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a code presented with another redirect_uri, or after 10 minutes', () => {
    const code = codeFrom().searchParams.get('code') ?? '';
    expect(exchange(code, 'https://evil.example.com/cb').body).toMatchObject({ error: 'invalid_grant' });
    const late = codeFrom().searchParams.get('code') ?? '';
    clockMs += 10 * 60_000;
    expect(exchange(late).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers 401 invalid_client for a wrong secret or no Basic auth', () => {
    const code = codeFrom().searchParams.get('code') ?? '';
    const wrong = `Basic ${Buffer.from('client:nope').toString('base64')}`;
    expect(exchange(code, REDIRECT, wrong)).toEqual({ status: 401, body: { error: 'invalid_client' } });
    expect(exchange(code, REDIRECT, 'Bearer x').status).toBe(401);
    expect(tokensOf(exchange(code)).access).toMatch(/^test-access-/);
  });

  it('refuses other grant types', () => {
    const answer = server.token(new URLSearchParams({ grant_type: 'password' }), BASIC);
    expect(answer).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('rotates the refresh token, honouring the previous one for the grace period only', () => {
    const first = connect();
    const second = tokensOf(refresh(first.refresh));
    expect(second.refresh).not.toBe(first.refresh);
    expect(second.access).not.toBe(first.access);
    clockMs += 29 * 60_000;
    const retried = tokensOf(refresh(first.refresh));
    expect(retried.refresh).not.toBe(second.refresh);
    clockMs += 60_000;
    expect(refresh(first.refresh)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(tokensOf(refresh(second.refresh)).refresh).toMatch(/^test-refresh-/);
    expect(tokensOf(refresh(retried.refresh)).refresh).toMatch(/^test-refresh-/);
  });

  it('counts token requests by grant type', () => {
    const { refresh: refreshToken } = connect();
    refresh(refreshToken);
    refresh('unknown');
    server.token(new URLSearchParams({ grant_type: 'refresh_token' }), undefined);
    expect(server.tokenRequests).toEqual({ total: 4, authorizationCode: 1, refreshToken: 2 });
  });

  it('announces the refresh token lifetime when configured like QBO', () => {
    server = new LocalAuthorizationServer({
      clientId: 'client',
      clientSecret: 'secret',
      now: () => new Date(clockMs),
      accessTokenSeconds: 3600,
      refreshTokenSeconds: 8_640_000,
      announceRefreshExpiry: true,
      tokenPrefix: 'qbo',
    });
    const exchanged = exchange(codeFrom().searchParams.get('code') ?? '');
    expect(exchanged.body).toMatchObject({ expires_in: 3600, x_refresh_token_expires_in: 8_640_000 });
    const refreshed = refresh(tokensOf(exchanged).refresh);
    expect(refreshed.body).toMatchObject({ expires_in: 3600, x_refresh_token_expires_in: 8_640_000 });
  });
});

describe('LocalAuthorizationServer token life', () => {
  it('expires access tokens by its clock', () => {
    const { access } = connect();
    clockMs += 1799_000;
    expect(server.isValidAccessToken(access)).toBe(true);
    clockMs += 1_000;
    expect(server.isValidAccessToken(access)).toBe(false);
    expect(server.isValidAccessToken('made-up')).toBe(false);
  });

  it('expireAccessTokens leaves refresh tokens working', () => {
    const first = connect();
    server.expireAccessTokens();
    expect(server.isValidAccessToken(first.access)).toBe(false);
    const next = tokensOf(refresh(first.refresh));
    expect(server.isValidAccessToken(next.access)).toBe(true);
  });

  it('revokeAll kills every access and refresh token', () => {
    const first = connect();
    const second = tokensOf(refresh(first.refresh));
    server.revokeAll();
    expect(server.isValidAccessToken(second.access)).toBe(false);
    expect(refresh(second.refresh).body).toMatchObject({ error: 'invalid_grant' });
    expect(refresh(first.refresh).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('lets an unused refresh token expire after 60 days by default', () => {
    const { refresh: refreshToken } = connect();
    clockMs += 60 * 24 * 3600_000;
    expect(refresh(refreshToken).body).toMatchObject({ error: 'invalid_grant' });
  });
});
