export {
  createQuickBooksClient,
  quickBooksBatchSize,
  requestIdFor,
  type QuickBooksClientOptions,
} from './quickbooks-client.ts';
export { productionApiUrl, sandboxApiUrl } from './quickbooks-sdk.ts';
export { translateQuickBooksError, type FailedOperation } from './quickbooks-errors.ts';
export { customerMarker, docNumberMaxLength } from './quickbooks-mapping.ts';
