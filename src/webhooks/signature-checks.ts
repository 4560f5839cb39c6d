import { createHmac, timingSafeEqual } from 'node:crypto';

// The pieces every webhook signature check is made of: HMAC-SHA256 over the raw bytes, a
// constant-time comparison that treats a wrong length as a plain mismatch, and a timestamp window.

/** 5 minutes each way (OWASP; Slack and HubSpot use the same). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

export type SignatureProblem =
  'missing_signature' | 'bad_signature' | 'missing_timestamp' | 'stale_timestamp' | 'future_timestamp';

export type SignatureCheck = { ok: true } | { ok: false; problem: SignatureProblem; message: string };

export function hmacSha256(secret: string, parts: readonly (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** Whether `given` (as sent, in `encoding`) is the expected digest; never throws on odd input. */
export function digestMatches(given: string, expected: Buffer, encoding: 'hex' | 'base64'): boolean {
  const wellFormed = encoding === 'hex' ? /^[0-9a-f]+$/i.test(given) : /^[A-Za-z0-9+/]+={0,2}$/.test(given);
  if (!wellFormed) return false;
  const decoded = Buffer.from(given, encoding);
  return decoded.length === expected.length && timingSafeEqual(decoded, expected);
}

/**
 * NOTE: several secrets may be active while one is rotated (OWASP): a signature made with any of
 * them is accepted. `secrets` is the configured value split on commas.
 */
export function anySecretMatches(
  secrets: readonly string[],
  given: string,
  encoding: 'hex' | 'base64',
  digest: (secret: string) => Buffer,
): boolean {
  let matched = false;
  // NOTE: every secret is tried, so the time taken does not say which one matched.
  for (const secret of secrets) matched = digestMatches(given, digest(secret), encoding) || matched;
  return matched;
}

/** A timestamp (milliseconds) outside the window is refused either way: replays and clock games. */
export function timestampProblem(timestampMs: number | undefined, nowMs: number): SignatureCheck {
  if (timestampMs === undefined || !Number.isFinite(timestampMs)) {
    return { ok: false, problem: 'missing_timestamp', message: 'The request carries no valid timestamp.' };
  }
  if (timestampMs < nowMs - TIMESTAMP_TOLERANCE_MS) {
    return {
      ok: false,
      problem: 'stale_timestamp',
      message: 'The request is more than 5 minutes old; a replay is refused. Send it again, newly signed.',
    };
  }
  if (timestampMs > nowMs + TIMESTAMP_TOLERANCE_MS) {
    return {
      ok: false,
      problem: 'future_timestamp',
      message: "The request's timestamp is more than 5 minutes ahead; check the sender's clock.",
    };
  }
  return { ok: true };
}

export function secretsFrom(configured: string): string[] {
  return configured
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
}

/**
 * The scheme Shopify and Xero use: base64 HMAC-SHA256 of the raw body in one header, no timestamp.
 * `headerName` is how the header is named in the message when it is missing.
 */
export function bodySignatureCheck(
  secrets: readonly string[],
  signature: string | undefined,
  body: Buffer,
  headerName: string,
): SignatureCheck {
  if (signature === undefined) {
    return { ok: false, problem: 'missing_signature', message: `Send the ${headerName} header.` };
  }
  return anySecretMatches(secrets, signature, 'base64', (secret) => hmacSha256(secret, [body]))
    ? { ok: true }
    : { ok: false, problem: 'bad_signature', message: 'The signature does not match the body.' };
}
