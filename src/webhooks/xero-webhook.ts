import { z } from 'zod';
import type { Deps } from '../ports/deps.ts';
import { claimEvent } from '../events/claim-event.ts';
import { enqueueErpEventHandling } from '../queue/enqueue-erp-event-handling.ts';
import { bodySignatureCheck, hmacSha256, secretsFrom } from './signature-checks.ts';
import { header, type WebhookSource } from './webhook-source.ts';

const payloadSchema = z.object({
  events: z.array(
    z.object({
      resourceUrl: z.string().optional(),
      resourceId: z.string().min(1),
      // NOTE: Xero writes UTC times without a zone ("2017-06-21T01:15:39.902").
      eventDateUtc: z
        .string()
        .transform((text) => new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`))
        .refine((date) => !Number.isNaN(date.getTime()), { error: 'expected a date and time' }),
      eventType: z.string().min(1),
      eventCategory: z.string().min(1),
      tenantId: z.string().min(1),
    }),
  ),
  firstEventSequence: z.number().optional(),
  lastEventSequence: z.number().optional(),
  entropy: z.string().optional(),
});

/**
 * POST /webhooks/xero: `x-xero-signature` is base64 HMAC-SHA256 of the raw body with the webhook key.
 * Xero's "intent to receive" check is a signed request with no events: 200 when the signature is
 * right, 401 when not, like any other. Invoice events are recorded for the payments work.
 * NOTE: Xero signs no timestamp, so replays are stopped by the event id alone (FACTS Part B §2.3).
 */
export function xeroWebhook(deps: Pick<Deps, 'db' | 'config'>): WebhookSource {
  const configured = deps.config.webhooks.xeroKey;
  const keys = configured === undefined ? [] : secretsFrom(configured);
  return {
    name: 'xero',
    secretVariable: 'XERO_WEBHOOK_KEY',
    enabled: keys.length > 0,
    // NOTE: Xero sends at most a few hundred events per delivery.
    bodyLimitBytes: 1024 * 1024,
    verify: (request) =>
      bodySignatureCheck(keys, header(request, 'x-xero-signature'), request.body, 'x-xero-signature'),
    async accept(_request, body) {
      const parsed = payloadSchema.safeParse(body);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid_payload', message: z.prettifyError(parsed.error) } };
      }
      const invoices = parsed.data.events.filter((event) => event.eventCategory === 'INVOICE');
      const recorded = await deps.db.transaction().execute(async (trx) => {
        let fresh = 0;
        for (const event of invoices) {
          const id = `${event.tenantId}:${event.resourceId}:${event.eventType}:${event.eventDateUtc.toISOString()}`;
          if (!(await claimEvent(trx, 'webhook:xero', id))) continue;
          await trx
            .insertInto('erp_events')
            .values({
              provider: 'xero',
              tenant_id: event.tenantId,
              category: event.eventCategory,
              event_type: event.eventType,
              resource_id: event.resourceId,
              resource_url: event.resourceUrl ?? null,
              occurred_at: event.eventDateUtc,
            })
            .execute();
          fresh += 1;
        }
        if (fresh > 0) await enqueueErpEventHandling(trx);
        return fresh;
      });
      return {
        status: 200,
        body: {
          recorded,
          duplicates: invoices.length - recorded,
          ignored: parsed.data.events.length - invoices.length,
        },
      };
    },
  };
}

export function xeroSignature(key: string, body: Buffer | string): string {
  return hmacSha256(key, [body]).toString('base64');
}
