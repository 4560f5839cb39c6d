import { z } from 'zod';
import type { Deps } from '../ports/deps.ts';
import { claimEvent } from '../events/claim-event.ts';
import {
  HUBSPOT_REQUEST_TIMESTAMP_HEADER,
  HUBSPOT_SIGNATURE_V3_HEADER,
  verifyHubSpotSignatureV3,
} from '../hubspot/index.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import type { SignatureCheck, SignatureProblem } from './signature-checks.ts';
import { header, type WebhookRequest, type WebhookSource } from './webhook-source.ts';

/** The default pipeline's closed-won stage. */
const CLOSED_WON = 'closedwon';

const eventsSchema = z.array(
  z.object({
    eventId: z.union([z.number(), z.string()]),
    subscriptionType: z.string(),
    objectId: z.union([z.number(), z.string()]),
    propertyName: z.string().optional(),
    propertyValue: z.string().optional(),
  }),
);

/**
 * POST /webhooks/hubspot: HubSpot's signature v3 (HMAC-SHA256 of method, the URL it called, the body
 * and its millisecond timestamp; 5-minute window). A deal moved to closed-won queues the drafting of a
 * one-off invoice from its line items, once per event id; other events are acknowledged.
 */
export function hubspotWebhook(deps: Pick<Deps, 'db' | 'config'>): WebhookSource {
  const secret = deps.config.webhooks.hubspot.clientSecret;
  return {
    name: 'hubspot',
    secretVariable: 'HUBSPOT_CLIENT_SECRET',
    enabled: secret !== undefined,
    // NOTE: HubSpot batches up to 100 events per request.
    bodyLimitBytes: 1024 * 1024,
    verify: (request) => verifyHubSpot(secret ?? '', request),
    async accept(_request, body) {
      const parsed = eventsSchema.safeParse(body);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid_events', message: z.prettifyError(parsed.error) } };
      }
      const closed = parsed.data.filter(
        (event) =>
          event.subscriptionType === 'deal.propertyChange' &&
          event.propertyName === 'dealstage' &&
          event.propertyValue === CLOSED_WON,
      );
      const queued = await deps.db.transaction().execute(async (trx) => {
        let fresh = 0;
        for (const event of closed) {
          if (!(await claimEvent(trx, 'webhook:hubspot', String(event.eventId)))) continue;
          await enqueueJob(trx, 'draft_hubspot_deal', { dealId: String(event.objectId) });
          fresh += 1;
        }
        return fresh;
      });
      return {
        status: 200,
        body: { queued, duplicates: closed.length - queued, ignored: parsed.data.length - closed.length },
      };
    },
  };
}

const PROBLEMS: Record<string, SignatureProblem> = {
  missing_signature: 'missing_signature',
  missing_timestamp: 'missing_timestamp',
  bad_signature: 'bad_signature',
  stale: 'stale_timestamp',
  future: 'future_timestamp',
};

function verifyHubSpot(secret: string, request: WebhookRequest): SignatureCheck {
  const checked = verifyHubSpotSignatureV3({
    clientSecret: secret,
    method: request.method,
    uri: request.url,
    body: request.body,
    signature: header(request, HUBSPOT_SIGNATURE_V3_HEADER),
    timestamp: header(request, HUBSPOT_REQUEST_TIMESTAMP_HEADER),
    now: request.now,
  });
  if (checked.ok) return checked;
  return { ok: false, problem: PROBLEMS[checked.problem] ?? 'bad_signature', message: checked.message };
}
