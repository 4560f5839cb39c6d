import { z } from 'zod';
import type { Deps } from '../ports/deps.ts';
import { claimEvent } from '../events/claim-event.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { oneOffOrderSchema, type OneOffOrder } from '../queue/one-off-order.ts';
import { bodySignatureCheck, hmacSha256, secretsFrom } from './signature-checks.ts';
import { header, type WebhookSource } from './webhook-source.ts';

const FULFILLED = 'orders/fulfilled';

// NOTE: Shopify writes money as strings and ids as numbers (13 digits at most: exact in a double).
const orderSchema = z.object({
  id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  name: z.string().min(1),
  currency: z.string().length(3),
  processed_at: z.string().nullish(),
  created_at: z.string(),
  taxes_included: z.boolean().default(false),
  email: z.string().nullish(),
  customer: z
    .object({
      id: z.union([z.number(), z.string()]),
      email: z.string().nullish(),
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
    })
    .nullish(),
  line_items: z
    .array(
      z.object({
        title: z.string(),
        variant_title: z.string().nullish(),
        quantity: z.number().int().positive(),
        price: z.string(),
        total_discount: z.string().nullish(),
        sku: z.string().nullish(),
      }),
    )
    .min(1),
});

/**
 * POST /webhooks/shopify: `X-Shopify-Hmac-Sha256` is base64 HMAC-SHA256 of the raw body with the app's
 * client secret. An `orders/fulfilled` order becomes a one-off draft invoice (queued in the transaction
 * that records its event id, so a redelivery drafts nothing twice); other topics are acknowledged.
 * NOTE: Shopify's timestamp header is not signed and stays the same on its retries for 48 hours, so
 * replays are stopped by the event id (X-Shopify-Event-Id), not a time window.
 */
export function shopifyWebhook(deps: Pick<Deps, 'db' | 'billing' | 'config'>): WebhookSource {
  const configured = deps.config.webhooks.shopifySecret;
  const secrets = configured === undefined ? [] : secretsFrom(configured);
  return {
    name: 'shopify',
    secretVariable: 'SHOPIFY_WEBHOOK_SECRET',
    enabled: secrets.length > 0,
    bodyLimitBytes: 2 * 1024 * 1024,
    verify: (request) =>
      bodySignatureCheck(
        secrets,
        header(request, 'x-shopify-hmac-sha256'),
        request.body,
        'X-Shopify-Hmac-Sha256',
      ),
    async accept(request, body) {
      const topic = header(request, 'x-shopify-topic');
      if (topic !== FULFILLED) return { status: 200, body: { ignored: topic ?? 'no topic' } };
      const eventId = header(request, 'x-shopify-event-id') ?? header(request, 'x-shopify-webhook-id');
      if (eventId === undefined) {
        return {
          status: 400,
          body: {
            error: 'missing_event_id',
            message: 'Send X-Shopify-Event-Id so a redelivery is recognised.',
          },
        };
      }
      const parsed = orderSchema.safeParse(body);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid_order', message: z.prettifyError(parsed.error) } };
      }
      const order = oneOffOrderSchema.safeParse(toOneOffOrder(parsed.data, deps.billing));
      if (!order.success) {
        return { status: 400, body: { error: 'invalid_order', message: z.prettifyError(order.error) } };
      }
      const queued = await deps.db.transaction().execute(async (trx) => {
        if (!(await claimEvent(trx, 'webhook:shopify', eventId))) return false;
        await enqueueJob(trx, 'draft_one_off_invoice', order.data);
        return true;
      });
      return { status: 200, body: queued ? { queued: order.data.origin } : { duplicate: eventId } };
    },
  };
}

function toOneOffOrder(order: z.infer<typeof orderSchema>, billing: Deps['billing']): OneOffOrder {
  const email = order.customer?.email ?? order.email ?? undefined;
  const name = [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(' ');
  return {
    origin: `shopify:order:${String(order.id)}`,
    label: `Shopify order ${order.name}`,
    customer: {
      ...(order.customer == null ? {} : { externalId: `shopify:${String(order.customer.id)}` }),
      ...(email == null ? {} : { email }),
      ...(name === '' ? {} : { name }),
    },
    currency: order.currency,
    orderedAt: order.processed_at ?? order.created_at,
    pricesIncludeTax: order.taxes_included,
    lines: order.line_items.map((line) => ({
      description: line.variant_title == null ? line.title : `${line.title} (${line.variant_title})`,
      quantity: String(line.quantity),
      unitPrice: line.price,
      ...(line.total_discount == null || line.total_discount === '0.00'
        ? {}
        : { discount: line.total_discount }),
      ...(line.sku == null || line.sku === '' ? {} : { sku: line.sku }),
    })),
    mapping: billing.orders.shopify,
    startedBy: 'webhook:shopify',
  };
}

export function shopifySignature(secret: string, body: Buffer | string): string {
  return hmacSha256(secret, [body]).toString('base64');
}
