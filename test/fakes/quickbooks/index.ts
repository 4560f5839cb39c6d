export {
  startLocalQuickBooks,
  type FailureOptions,
  type InjectedFailure,
  type LocalQuickBooks,
  type LocalQuickBooksCall,
  type LocalQuickBooksOptions,
} from './local-quickbooks.ts';
export {
  defaultCatalog,
  type CatalogEntry,
  type CompanyCatalog,
  type LocalAttachment,
  type TaxCodeEntry,
} from './company.ts';
export { quickBooksRateLimits, type RateLimits } from './rate-limits.ts';
export type { Json, JsonObject } from './wire.ts';
