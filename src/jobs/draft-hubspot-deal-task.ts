import { draftHubSpotDeal } from '../orders/draft-hubspot-deal.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** A closed-won HubSpot deal drafted as a one-off invoice (draftHubSpotDeal). */
export function draftHubSpotDealTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { dealId } = parseJobPayload('draft_hubspot_deal', payload);
    await draftHubSpotDeal(deps, dealId);
  };
}
