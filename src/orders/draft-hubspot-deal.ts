import { createHubSpotClient, type HubSpotDeal } from '../hubspot/index.ts';
import { Decimal } from '../money/decimal.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import type { OneOffOrder } from '../queue/one-off-order.ts';

/**
 * A deal HubSpot said is closed-won: its line items are read from HubSpot and drafted as a one-off
 * invoice (through draft_one_off_invoice, like a Shopify order). A retryable HubSpot failure throws, so
 * the job backs off; one that needs a person (no token, a deal without prices) is told in Slack.
 */
export async function draftHubSpotDeal(
  deps: Pick<Deps, 'db' | 'billing' | 'config' | 'slack'>,
  dealId: string,
): Promise<'queued' | 'refused'> {
  const { accessToken, apiUrl } = deps.config.webhooks.hubspot;
  if (accessToken === undefined) {
    throw new Error(
      `HubSpot deal ${dealId} closed, but HUBSPOT_ACCESS_TOKEN is not set, so its line items cannot be read. Set it, then Retry.`,
    );
  }
  const fetched = await createHubSpotClient({ apiUrl, accessToken }).fetchClosedDeal(dealId);
  if (!fetched.ok) {
    if (fetched.retryable) throw new Error(`HubSpot deal ${dealId}: ${fetched.message}`);
    await deps.slack.alert({
      text: `⚠️ HubSpot deal ${dealId} closed, but no invoice was drafted: ${fetched.message}`,
    });
    return 'refused';
  }
  const order = dealToOrder(fetched.deal, deps.billing);
  await deps.db.transaction().execute((trx) => enqueueJob(trx, 'draft_one_off_invoice', order));
  return 'queued';
}

export function dealToOrder(deal: HubSpotDeal, billing: Deps['billing']): OneOffOrder {
  return {
    origin: `hubspot:deal:${deal.id}`,
    label: `HubSpot deal ${deal.name}`,
    customer: {
      ...(deal.companyId === undefined ? {} : { externalId: `hubspot:${deal.companyId}` }),
      ...(deal.contactEmail === undefined ? {} : { email: deal.contactEmail }),
    },
    currency: deal.currency,
    orderedAt: deal.closedAt,
    pricesIncludeTax: false,
    lines: deal.lines.map((line) => ({
      description: line.name,
      quantity: line.quantity,
      unitPrice: line.price,
      // NOTE: HubSpot's `discount` is its "Unit discount", an amount off each unit.
      ...(line.discount === undefined
        ? {}
        : { discount: new Decimal(line.discount).times(line.quantity).toFixed() }),
      ...(line.sku === undefined ? {} : { sku: line.sku }),
    })),
    mapping: billing.orders.hubspot,
    startedBy: 'webhook:hubspot',
  };
}
