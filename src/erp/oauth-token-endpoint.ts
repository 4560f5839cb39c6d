import { z } from 'zod';

// The OAuth 2 token endpoint Xero (identity.xero.com/connect/token) and Intuit both speak: form body,
// client credentials in Basic auth, JSON answer. One implementation for both refresh and code exchange.

export interface OAuthClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenPair {
  accessToken: string;
  /** Rotated on every refresh by both vendors: persist it at once. */
  refreshToken: string;
  expiresAt: Date;
}

export type TokenResult =
  | { ok: true; tokens: TokenPair }
  /** The grant is gone (revoked, expired, or already used): only reconnecting helps. */
  | { ok: false; code: 'invalid_grant'; message: string }
  | { ok: false; code: 'unavailable'; message: string };

const answer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});

export function refreshTokens(client: OAuthClient, refreshToken: string, now: Date): Promise<TokenResult> {
  return requestTokens(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
}

export function exchangeCode(
  client: OAuthClient,
  code: string,
  redirectUri: string,
  now: Date,
): Promise<TokenResult> {
  return requestTokens(client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, now);
}

async function requestTokens(
  client: OAuthClient,
  form: Record<string, string>,
  now: Date,
): Promise<TokenResult> {
  let response: Response;
  try {
    response = await fetch(client.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return {
      ok: false,
      code: 'unavailable',
      message: `The ERP's sign-in service could not be reached (${String(error)})`,
    };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 400 && (body as { error?: unknown } | undefined)?.error === 'invalid_grant') {
    return {
      ok: false,
      code: 'invalid_grant',
      message: 'The ERP connection was revoked or has expired; reconnect it',
    };
  }
  const parsed = answer.safeParse(body);
  if (!response.ok || !parsed.success) {
    return {
      ok: false,
      code: 'unavailable',
      message: `The ERP's sign-in service answered ${response.status}`,
    };
  }
  return {
    ok: true,
    tokens: {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresAt: new Date(now.getTime() + parsed.data.expires_in * 1000),
    },
  };
}
