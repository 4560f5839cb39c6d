import nodeQuickBooks from 'node-quickbooks';
import type { QuickBooks as QuickBooksClass } from 'node-quickbooks';

// The slice of node-quickbooks billops uses, typed honestly (data is unknown until parsed), and one
// way to call it: a promise that settles once, with the SDK's error or a client-side timeout.

// NOTE: the package's d.ts says `export default QuickBooks` (and a named class), but at runtime
// module.exports IS the constructor, which is what an ESM default import receives.
const QuickBooks = nodeQuickBooks as unknown as typeof QuickBooksClass;

export type SdkCallback = (error: unknown, data: unknown) => void;

/** The node-quickbooks methods billops calls, with the shapes they really pass to callbacks. */
export interface QuickBooksSdk {
  findCustomers(criteria: object, callback: SdkCallback): void;
  createCustomer(customer: object, callback: SdkCallback): void;
  findInvoices(criteria: object, callback: SdkCallback): void;
  getInvoice(id: string, callback: SdkCallback): void;
  findPayments(criteria: object, callback: SdkCallback): void;
  createInvoice(invoice: object, callback: SdkCallback): void;
  /** POST /invoice?operation=void with the invoice's Id and SyncToken; answers `{ Invoice }`. */
  voidInvoice(invoice: object, callback: SdkCallback): void;
  batch(items: object[], callback: SdkCallback): void;
  /** GET /preferences: answers the Preferences entity (TaxPrefs.PartnerTaxEnabled from minor version 3). */
  getPreferences(callback: SdkCallback): void;
  /** POST /creditmemo; a `requestId` field becomes ?requestid=. Answers the CreditMemo. */
  createCreditMemo(creditMemo: object, callback: SdkCallback): void;
  findCreditMemos(criteria: object, callback: SdkCallback): void;
  findAttachables(criteria: object, callback: SdkCallback): void;
  upload(
    filename: string,
    contentType: string,
    stream: Buffer,
    entityType: string,
    entityId: string,
    callback: SdkCallback,
  ): void;
}

export const productionApiUrl = 'https://quickbooks.api.intuit.com';
export const sandboxApiUrl = 'https://sandbox-quickbooks.api.intuit.com';

/** node-quickbooks' `endpoint` for a base URL: it appends `{realmId}/{resource}` itself. */
export function companyEndpoint(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  return base.endsWith('/v3/company') ? `${base}/` : `${base}/v3/company/`;
}

export interface SdkConnection {
  endpoint: string;
  realmId: string;
  accessToken: string;
  minorVersion: string;
}

/** One SDK object per call: the token is current and no call shares mutable state with another. */
export function connectQuickBooks(connection: SdkConnection): QuickBooksSdk {
  // OAuth 2 needs tokenSecret false and oauthversion '2.0' (FACTS §2.1); the client id and secret
  // only matter for refreshAccessToken, which billops does elsewhere.
  const client = new QuickBooks(
    '',
    '',
    connection.accessToken,
    false,
    connection.realmId,
    false,
    false,
    connection.minorVersion,
    '2.0',
    null,
  );
  // NOTE: set per instance, not through the static V3_ENDPOINT_BASE_URL, which every client shares.
  client.endpoint = connection.endpoint;
  return client;
}

export type SdkOutcome = { ok: true; data: unknown } | { ok: false; timedOut: boolean; error: unknown };

/**
 * Runs one callback-style SDK call. node-quickbooks sets no HTTP timeout, so after `timeoutMs` the
 * call settles as timed out; the request itself may still complete on QuickBooks' side.
 */
export function callSdk(timeoutMs: number, start: (callback: SdkCallback) => void): Promise<SdkOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: SdkOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      settle({ ok: false, timedOut: true, error: undefined });
    }, timeoutMs);
    try {
      start((error, data) => {
        if (error !== null && error !== undefined) settle({ ok: false, timedOut: false, error });
        else settle({ ok: true, data });
      });
    } catch (error) {
      settle({ ok: false, timedOut: false, error });
    }
  });
}
