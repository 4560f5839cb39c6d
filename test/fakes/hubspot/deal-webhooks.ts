import { createHash } from 'node:crypto';

import {
  HUBSPOT_REQUEST_TIMESTAMP_HEADER,
  HUBSPOT_SIGNATURE_V3_HEADER,
  hubspotSignatureV3,
} from '../../../src/hubspot/webhook-signature.ts';
import { LOCAL_HUBSPOT_PORTAL_ID } from './local-hubspot.ts';

// Webhook deliveries as HubSpot sends them for a `deal.propertyChange` subscription on `dealstage`:
// a JSON array of events, signed v3 (and v1, which HubSpot still sends alongside).

export const LOCAL_HUBSPOT_APP_ID = 3_141_592;
export const LOCAL_HUBSPOT_SUBSCRIPTION_ID = 2_718_281;

export interface DealPropertyChangeEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  /** Milliseconds since the epoch. */
  occurredAt: number;
  subscriptionType: 'deal.propertyChange';
  /** 0 on the first delivery, counting up on HubSpot's retries. */
  attemptNumber: number;
  /** The deal id, as a number. */
  objectId: number;
  propertyName: string;
  propertyValue: string;
  /** Where the change came from: 'CRM', 'API', 'AUTOMATION_PLATFORM', … */
  changeSource: string;
}

let lastEventId = 1_000;

/** A `dealstage` change event for the deal; closed-won in the default pipeline unless told otherwise. */
export function dealStageChangeEvent(
  input: { dealId: string | number } & Partial<Omit<DealPropertyChangeEvent, 'objectId'>>,
): DealPropertyChangeEvent {
  const { dealId, ...overrides } = input;
  lastEventId += 1;
  return {
    eventId: lastEventId,
    subscriptionId: LOCAL_HUBSPOT_SUBSCRIPTION_ID,
    portalId: LOCAL_HUBSPOT_PORTAL_ID,
    appId: LOCAL_HUBSPOT_APP_ID,
    occurredAt: Date.now(),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    propertyName: 'dealstage',
    propertyValue: 'closedwon',
    changeSource: 'CRM',
    ...overrides,
    objectId: Number(dealId),
  };
}

export interface SignedWebhook {
  method: 'POST';
  headers: Record<string, string>;
  /** Send these exact bytes: the signature covers them. */
  body: string;
}

/** A webhook POST to `url` as HubSpot would deliver it, signed with the app's client secret. */
export function signedDealWebhook(input: {
  clientSecret: string;
  /** The full address HubSpot calls (the app's target URL). */
  url: string;
  events: readonly DealPropertyChangeEvent[];
  /** When HubSpot signed it; default now. */
  timestamp?: Date;
}): SignedWebhook {
  const body = JSON.stringify(input.events);
  const timestamp = String((input.timestamp ?? new Date()).getTime());
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [HUBSPOT_SIGNATURE_V3_HEADER]: hubspotSignatureV3({
        clientSecret: input.clientSecret,
        method: 'POST',
        uri: input.url,
        body,
        timestamp,
      }),
      [HUBSPOT_REQUEST_TIMESTAMP_HEADER]: timestamp,
      // NOTE: v1 is SHA-256 hex of client secret + body, still sent for webhooks; billops checks v3.
      'x-hubspot-signature': createHash('sha256').update(input.clientSecret).update(body).digest('hex'),
      'x-hubspot-signature-version': 'v1',
    },
    body,
  };
}
