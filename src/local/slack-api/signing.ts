import { createHmac } from 'node:crypto';

/** Signs a request body the way Slack does: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{rawBody}`. */
export function signSlackRequest(signingSecret: string, rawBody: string, timestampSeconds: number): string {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return `v0=${digest}`;
}

/** The two headers Bolt checks, for a body signed at the given time. */
export function slackSignatureHeaders(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number,
): Record<'x-slack-request-timestamp' | 'x-slack-signature', string> {
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': signSlackRequest(signingSecret, rawBody, timestampSeconds),
  };
}
