export { createXeroClient, XERO_API_URL, XERO_BATCH_SIZE, type XeroClientOptions } from './xero-client.ts';
export { toXeroInvoice, toInvoiceRef } from './invoice-mapping.ts';
export { toXeroNumber, fromXeroAmount } from './xero-amounts.ts';
export { translateXeroFailure } from './xero-errors.ts';
