import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../ports/deps.ts';
import { hubspotWebhook } from './hubspot-webhook.ts';
import { shopifyWebhook } from './shopify-webhook.ts';
import { signatureFailureAlerts } from './signature-failure-alerts.ts';
import { usageWebhook } from './usage-webhook.ts';
import { webhookRoute } from './webhook-route.ts';
import type { WebhookSource } from './webhook-source.ts';
import { xeroWebhook } from './xero-webhook.ts';

/** Every webhook billops takes, at /webhooks/<name>, each off until its secret is set. */
export function webhookSources(deps: Deps): WebhookSource[] {
  return [usageWebhook(deps), shopifyWebhook(deps), hubspotWebhook(deps), xeroWebhook(deps)];
}

export function webhookRoutes(deps: Deps, sources: readonly WebhookSource[]): CustomRoute[] {
  const alerts = signatureFailureAlerts(
    deps,
    Object.fromEntries(sources.map((source) => [source.name, source.secretVariable])),
  );
  return sources.map((source) =>
    webhookRoute(source, {
      publicUrl: deps.config.publicUrl,
      clock: deps.clock,
      logger: deps.logger,
      alerts,
    }),
  );
}
