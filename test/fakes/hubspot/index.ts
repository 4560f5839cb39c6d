export {
  LocalHubSpot,
  startLocalHubSpot,
  LOCAL_HUBSPOT_ACCESS_TOKEN,
  LOCAL_HUBSPOT_PORTAL_ID,
  type FailNextOptions,
  type LocalHubSpotCall,
  type LocalHubSpotOptions,
} from './local-hubspot.ts';
export type {
  CompanySeed,
  ContactSeed,
  CrmObjectType,
  CrmRecord,
  DealSeed,
  LineItemSeed,
  SeededDeal,
} from './crm-records.ts';
export {
  dealStageChangeEvent,
  signedDealWebhook,
  LOCAL_HUBSPOT_APP_ID,
  LOCAL_HUBSPOT_SUBSCRIPTION_ID,
  type DealPropertyChangeEvent,
  type SignedWebhook,
} from './deal-webhooks.ts';
