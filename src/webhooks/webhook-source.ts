import type { IncomingHttpHeaders } from 'node:http';
import type { JsonReply } from '../ports/json-reply.ts';
import type { SignatureCheck } from './signature-checks.ts';

/** One signed POST, as received: the raw bytes are what the signature covers. */
export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
  method: string;
  /** The address the sender called (PUBLIC_URL + path and query): HubSpot signs it. */
  url: string;
  now: Date;
}

/** A sender of webhooks: how its signature is checked and what its events do. */
export interface WebhookSource {
  /** Served at /webhooks/<name>. */
  name: string;
  /** Off until its secret is set; a request then gets 404 naming the variable to set. */
  secretVariable: string;
  enabled: boolean;
  bodyLimitBytes: number;
  verify(request: WebhookRequest): SignatureCheck;
  /** Acts on the verified, parsed body; returns only after the work is durably recorded or queued. */
  accept(request: WebhookRequest, body: unknown): Promise<JsonReply>;
}

export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
