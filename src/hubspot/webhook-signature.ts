import { createHmac, timingSafeEqual } from 'node:crypto';

// HubSpot's v3 request signature (X-HubSpot-Signature-v3): base64 HMAC-SHA256, keyed with the app's
// client secret, of method + URI + raw body + X-HubSpot-Request-Timestamp (milliseconds).

export const HUBSPOT_SIGNATURE_V3_HEADER = 'x-hubspot-signature-v3';
export const HUBSPOT_REQUEST_TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
/** HubSpot says to refuse a request signed more than 5 minutes ago; billops refuses as far ahead too. */
export const HUBSPOT_SIGNATURE_WINDOW_MS = 5 * 60_000;

export interface HubSpotSignedRequest {
  /** The app's client secret (HUBSPOT_CLIENT_SECRET). */
  clientSecret: string;
  method: string;
  /** The full address HubSpot called: https://host/path?query, as configured in the app. */
  uri: string;
  /** The raw body as received: re-serialised JSON does not verify. */
  body: string | Uint8Array;
  /** X-HubSpot-Request-Timestamp, as sent. */
  timestamp: string | number;
}

export type HubSpotSignatureProblem =
  'missing_signature' | 'bad_signature' | 'missing_timestamp' | 'stale' | 'future';

export type HubSpotSignatureCheck =
  { ok: true } | { ok: false; problem: HubSpotSignatureProblem; message: string };

// NOTE: HubSpot signs the URI with these percent-escapes decoded, and only these (its docs' table).
const DECODED_ESCAPES: Readonly<Record<string, string>> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};

/** The URI as HubSpot puts it in the signed string. */
export function uriAsSigned(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape, hex: string) => {
    return DECODED_ESCAPES[hex.toUpperCase()] ?? escape;
  });
}

/** The X-HubSpot-Signature-v3 value HubSpot sends for this request. */
export function hubspotSignatureV3(request: HubSpotSignedRequest): string {
  return createHmac('sha256', request.clientSecret)
    .update(request.method.toUpperCase())
    .update(uriAsSigned(request.uri))
    .update(request.body)
    .update(String(request.timestamp))
    .digest('base64');
}

function refused(problem: HubSpotSignatureProblem, message: string): HubSpotSignatureCheck {
  return { ok: false, problem, message };
}

/** Whether a request really comes from HubSpot, recently; never throws on odd headers. */
export function verifyHubSpotSignatureV3(
  request: Omit<HubSpotSignedRequest, 'timestamp'> & {
    /** X-HubSpot-Signature-v3, undefined when absent. */
    signature: string | undefined;
    /** X-HubSpot-Request-Timestamp, undefined when absent. */
    timestamp: string | undefined;
    now: Date;
  },
): HubSpotSignatureCheck {
  if (request.signature === undefined || request.signature === '') {
    return refused('missing_signature', 'The request has no X-HubSpot-Signature-v3 header.');
  }
  const timestamp = request.timestamp?.trim();
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) {
    return refused(
      'missing_timestamp',
      'The request has no X-HubSpot-Request-Timestamp header in milliseconds, so its age cannot be checked.',
    );
  }
  const ageMs = request.now.getTime() - Number(timestamp);
  if (ageMs > HUBSPOT_SIGNATURE_WINDOW_MS) {
    return refused(
      'stale',
      `The request was signed ${Math.round(ageMs / 1000)} s ago, more than 5 minutes: a replay is refused.`,
    );
  }
  if (-ageMs > HUBSPOT_SIGNATURE_WINDOW_MS) {
    return refused(
      'future',
      `The request is signed ${Math.round(-ageMs / 1000)} s in the future, more than 5 minutes: check the server clock.`,
    );
  }
  const expected = Buffer.from(hubspotSignatureV3({ ...request, timestamp }), 'utf8');
  const given = Buffer.from(request.signature, 'utf8');
  // NOTE: timingSafeEqual throws on unequal lengths; a wrong-length signature is simply wrong.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refused(
      'bad_signature',
      'The X-HubSpot-Signature-v3 does not match: check HUBSPOT_CLIENT_SECRET, the public URL HubSpot calls, ' +
        'and that the body is checked exactly as received.',
    );
  }
  return { ok: true };
}
