import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ErpProvider } from '../../ports/erp-client.ts';

// The OAuth `state`: who asked to connect which ERP, signed so the callback can trust it (CSRF: a
// callback we did not start is refused) and short-lived. The key is derived from ENCRYPTION_KEY.

const LIFETIME_MS = 15 * 60_000;

const claimsSchema = z.object({
  provider: z.enum(['xero', 'quickbooks']),
  userId: z.string().min(1),
  expiresAt: z.number(),
  nonce: z.string(),
});

export interface OAuthStateClaims {
  provider: ErpProvider;
  /** The approver who asked: the connection is recorded as theirs. */
  userId: string;
}

function stateKey(encryptionKey: Buffer): Buffer {
  return createHmac('sha256', encryptionKey).update('billops oauth state v1').digest();
}

function mac(encryptionKey: Buffer, body: string): Buffer {
  return createHmac('sha256', stateKey(encryptionKey)).update(body).digest();
}

export function signOAuthState(encryptionKey: Buffer, claims: OAuthStateClaims, now: Date): string {
  const body = Buffer.from(
    JSON.stringify({
      ...claims,
      expiresAt: now.getTime() + LIFETIME_MS,
      nonce: randomBytes(9).toString('hex'),
    }),
  ).toString('base64url');
  return `${body}.${mac(encryptionKey, body).toString('base64url')}`;
}

export type ReadState = { ok: true; claims: OAuthStateClaims } | { ok: false; message: string };

export function readOAuthState(encryptionKey: Buffer, state: string, now: Date): ReadState {
  const [body = '', signature = ''] = state.split('.');
  const expected = mac(encryptionKey, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: 'This link was not made by billops. Start again with /invoice connect.' };
  }
  const claims = claimsSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  if (!claims.success)
    return { ok: false, message: 'This link is damaged. Start again with /invoice connect.' };
  if (claims.data.expiresAt < now.getTime()) {
    return {
      ok: false,
      message: 'This link has expired (links last 15 minutes). Start again with /invoice connect.',
    };
  }
  return { ok: true, claims: { provider: claims.data.provider, userId: claims.data.userId } };
}
