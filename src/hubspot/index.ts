export {
  createHubSpotClient,
  type FetchClosedDealResult,
  type HubSpotClient,
  type HubSpotClientOptions,
  type HubSpotDeal,
  type HubSpotDealLine,
} from './hubspot-client.ts';
export type { HubSpotFailure, HubSpotFailureCode } from './hubspot-failure.ts';
export {
  HUBSPOT_REQUEST_TIMESTAMP_HEADER,
  HUBSPOT_SIGNATURE_V3_HEADER,
  HUBSPOT_SIGNATURE_WINDOW_MS,
  hubspotSignatureV3,
  uriAsSigned,
  verifyHubSpotSignatureV3,
  type HubSpotSignatureCheck,
  type HubSpotSignatureProblem,
  type HubSpotSignedRequest,
} from './webhook-signature.ts';
