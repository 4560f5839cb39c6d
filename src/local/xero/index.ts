export {
  LocalXero,
  startLocalXero,
  LOCAL_XERO_ACCESS_TOKEN,
  LOCAL_XERO_TENANT_ID,
  type LocalXeroOptions,
} from './local-xero.ts';
export type { ApiCall } from './api-call.ts';
export type { FailureMatch, XeroFailure } from './failure-plan.ts';
export type {
  LineAmountType,
  StoredAddress,
  StoredAttachment,
  StoredContact,
  StoredCreditAllocation,
  StoredCreditNote,
  StoredInvoice,
  StoredLineItem,
  StoredPayment,
  StoredTracking,
} from './org-books.ts';
export { defaultOrganisationChart, type ChartAccount, type OrganisationChart } from './org-chart.ts';
export { xeroLimits, type RateLimitProblem, type XeroLimits } from './rate-limits.ts';
