import { describe, expect, it } from 'vitest';

import { dealStageChangeEvent, signedDealWebhook } from '../../test/fakes/hubspot/index.ts';
import {
  HUBSPOT_REQUEST_TIMESTAMP_HEADER,
  HUBSPOT_SIGNATURE_V3_HEADER,
  hubspotSignatureV3,
  uriAsSigned,
  verifyHubSpotSignatureV3,
} from './webhook-signature.ts';

const clientSecret = 'hubspot-client-secret';
const url = 'https://billops.example.com/webhooks/hubspot';
const signedAt = new Date('2026-01-01T00:00:00Z');

function delivery(options: { secret?: string; at?: Date } = {}) {
  return signedDealWebhook({
    clientSecret: options.secret ?? clientSecret,
    url,
    events: [dealStageChangeEvent({ dealId: '21000000001', occurredAt: signedAt.getTime() })],
    timestamp: options.at ?? signedAt,
  });
}

function verify(
  request: { headers: Record<string, string | undefined>; body: string },
  now = new Date(signedAt.getTime() + 2_000),
) {
  return verifyHubSpotSignatureV3({
    clientSecret,
    method: 'POST',
    uri: url,
    body: request.body,
    signature: request.headers[HUBSPOT_SIGNATURE_V3_HEADER],
    timestamp: request.headers[HUBSPOT_REQUEST_TIMESTAMP_HEADER],
    now,
  });
}

describe('hubspotSignatureV3', () => {
  it('matches a vector computed outside billops, with %3A in the URI decoded as HubSpot signs it', () => {
    // printf '%s' 'POSThttps://…&note=a:b[{"objectId":1}]1767225600000' | openssl dgst -sha256 -hmac … -binary | base64
    const signature = hubspotSignatureV3({
      clientSecret,
      method: 'POST',
      uri: 'https://billops.example.com/webhooks/hubspot?portal=24681357&note=a%3Ab',
      body: '[{"objectId":1}]',
      timestamp: '1767225600000',
    });

    expect(signature).toBe('eG4DRgb5G7ej9Ldc/1na6bWhPsYQZqPeHEMSGhvjIqA=');
  });

  it('decodes only the escapes HubSpot lists, in either case', () => {
    expect(uriAsSigned('https://h.example/a%2fb?x=%3A%40%21%24%27%28%29%2A%2C%3B%3F&y=%20%26%3D')).toBe(
      "https://h.example/a/b?x=:@!$'()*,;?&y=%20%26%3D",
    );
  });

  it('signs bytes and text of the same body alike', () => {
    const request = { clientSecret, method: 'post', uri: url, timestamp: 1767225600000 };
    expect(hubspotSignatureV3({ ...request, body: Buffer.from('[{"é":1}]') })).toBe(
      hubspotSignatureV3({ ...request, method: 'POST', body: '[{"é":1}]' }),
    );
  });
});

describe('verifyHubSpotSignatureV3', () => {
  it('accepts a delivery signed with the client secret', () => {
    expect(verify(delivery())).toEqual({ ok: true });
  });

  it('accepts the raw bytes as received', () => {
    const request = delivery();
    const check = verifyHubSpotSignatureV3({
      clientSecret,
      method: 'POST',
      uri: url,
      body: Buffer.from(request.body),
      signature: request.headers[HUBSPOT_SIGNATURE_V3_HEADER],
      timestamp: request.headers[HUBSPOT_REQUEST_TIMESTAMP_HEADER],
      now: signedAt,
    });
    expect(check).toEqual({ ok: true });
  });

  it('refuses a request without a signature', () => {
    const request = delivery();
    const { [HUBSPOT_SIGNATURE_V3_HEADER]: _dropped, ...headers } = request.headers;

    expect(verify({ ...request, headers })).toMatchObject({ ok: false, problem: 'missing_signature' });
  });

  it('refuses a request without a timestamp, or with one that is not milliseconds', () => {
    const request = delivery();
    const { [HUBSPOT_REQUEST_TIMESTAMP_HEADER]: _dropped, ...headers } = request.headers;

    expect(verify({ ...request, headers })).toMatchObject({ ok: false, problem: 'missing_timestamp' });
    expect(
      verify({
        ...request,
        headers: { ...request.headers, [HUBSPOT_REQUEST_TIMESTAMP_HEADER]: 'yesterday' },
      }),
    ).toMatchObject({ ok: false, problem: 'missing_timestamp' });
  });

  it('refuses a delivery signed with another secret', () => {
    expect(verify(delivery({ secret: 'someone-elses-secret' }))).toMatchObject({
      ok: false,
      problem: 'bad_signature',
    });
  });

  it.each([
    ['too short', 'c2hvcnQ='],
    ['too long', `${'A'.repeat(60)}==`],
    ['empty-ish', '='],
    ['not base64 at all', '☃'],
  ])('refuses a signature of the wrong length (%s) without throwing', (_label, signature) => {
    const request = delivery();
    const headers = { ...request.headers, [HUBSPOT_SIGNATURE_V3_HEADER]: signature };

    expect(() => verify({ ...request, headers })).not.toThrow();
    expect(verify({ ...request, headers })).toMatchObject({ ok: false, problem: 'bad_signature' });
  });

  it('refuses a correct signature over a body that was parsed and stringified again', () => {
    const request = delivery();
    const reserialised = JSON.stringify(JSON.parse(request.body), null, 2);

    expect(reserialised).not.toBe(request.body);
    expect(verify({ ...request, body: reserialised })).toMatchObject({ ok: false, problem: 'bad_signature' });
  });

  it('refuses a signature made for another URL', () => {
    const request = signedDealWebhook({
      clientSecret,
      url: 'https://elsewhere.example.com/webhooks/hubspot',
      events: [dealStageChangeEvent({ dealId: 1 })],
      timestamp: signedAt,
    });

    expect(verify(request)).toMatchObject({ ok: false, problem: 'bad_signature' });
  });

  it('accepts a delivery up to 5 minutes old and refuses one older (a replay)', () => {
    const request = delivery();

    expect(verify(request, new Date(signedAt.getTime() + 300_000))).toEqual({ ok: true });
    expect(verify(request, new Date(signedAt.getTime() + 300_001))).toMatchObject({
      ok: false,
      problem: 'stale',
    });
  });

  it('refuses a delivery signed more than 5 minutes in the future', () => {
    const request = delivery({ at: new Date(signedAt.getTime() + 300_001) });

    expect(verify(request, signedAt)).toMatchObject({ ok: false, problem: 'future' });
    expect(verify(delivery({ at: new Date(signedAt.getTime() + 300_000) }), signedAt)).toEqual({ ok: true });
  });

  it('checks the age before the signature, so an old replay is named as one', () => {
    const request = delivery({ secret: 'wrong' });

    expect(verify(request, new Date(signedAt.getTime() + 3_600_000))).toMatchObject({ problem: 'stale' });
  });
});
