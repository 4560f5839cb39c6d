import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { ErpProvider } from '../../ports/erp-client.ts';
import { exchangeCode } from '../oauth-token-endpoint.ts';
import { booksPostedTo, saveErpConnection } from './erp-connections.ts';
import { readOAuthState, signOAuthState } from './oauth-state.ts';
import type { ErpOAuthSettings } from '../../ports/erp-gateway.ts';

export const ERP_CALLBACK_PATH = '/erp/callback';

// NOTE: granular Xero scopes (apps made after 2 March 2026 cannot ask for accounting.transactions).
const SCOPES: Record<ErpProvider, string> = {
  xero: 'offline_access accounting.invoices accounting.contacts accounting.attachments accounting.settings.read',
  quickbooks: 'com.intuit.quickbooks.accounting',
};

export const PROVIDER_NAMES: Record<ErpProvider, string> = { xero: 'Xero', quickbooks: 'QuickBooks Online' };

/** The ERP's consent page for this approver; its signed state expires after 15 minutes. */
export function erpAuthorizeLink(settings: ErpOAuthSettings, userId: string, now: Date): string {
  const url = new URL(settings.endpoints.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.endpoints.clientId);
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('scope', SCOPES[settings.provider]);
  url.searchParams.set(
    'state',
    signOAuthState(settings.encryptionKey, { provider: settings.provider, userId }, now),
  );
  return url.toString();
}

export type ConnectOutcome =
  | { ok: true; provider: ErpProvider; tenantId: string; tenantName: string | null; userId: string }
  | { ok: false; message: string };

const xeroConnections = z.array(
  z.object({
    tenantId: z.string().min(1),
    tenantName: z.string().nullish(),
    tenantType: z.string().optional(),
    updatedDateUtc: z.string().optional(),
  }),
);

/**
 * The OAuth callback: checks the signed state, exchanges the code, finds the organisation the grant
 * reaches and stores its tokens encrypted; it becomes the current connection.
 */
export async function completeErpConnection(
  deps: { db: Db; clock: { now(): Date } },
  settings: ErpOAuthSettings,
  query: URLSearchParams,
): Promise<ConnectOutcome> {
  const now = deps.clock.now();
  const state = readOAuthState(settings.encryptionKey, query.get('state') ?? '', now);
  if (!state.ok) return state;
  if (state.claims.provider !== settings.provider) {
    return {
      ok: false,
      message: `This link was for ${PROVIDER_NAMES[state.claims.provider]}, which is not in use.`,
    };
  }
  const denied = query.get('error');
  if (denied !== null) {
    return {
      ok: false,
      message: `${PROVIDER_NAMES[settings.provider]} did not connect (${denied}). Nothing changed.`,
    };
  }
  const code = query.get('code');
  if (code === null || code === '')
    return { ok: false, message: 'The answer carried no authorization code.' };
  const exchanged = await exchangeCode(settings.endpoints, code, settings.redirectUri, now);
  if (!exchanged.ok) {
    return {
      ok: false,
      message:
        exchanged.code === 'invalid_grant'
          ? 'This sign-in was already used or has expired. Start again with /invoice connect.'
          : exchanged.message,
    };
  }
  const books = await booksPostedTo(deps.db, settings.provider);
  const tenant =
    settings.provider === 'quickbooks'
      ? quickBooksRealm(query)
      : await xeroTenant(
          settings.endpoints.connectionsUrl,
          exchanged.tokens.accessToken,
          books?.connection.tenantId,
        );
  if (!tenant.ok) return tenant;
  // NOTE: one set of books. Invoices already posted keep their ids there (and their customers' contact
  // ids); posting the next ones to another organisation would split the ledger, and an uncertain
  // posting looked up in the wrong books would be posted a second time.
  if (books !== undefined && books.connection.tenantId !== tenant.tenantId) {
    const name = PROVIDER_NAMES[settings.provider];
    const theirs = books.connection.tenantName ?? books.connection.tenantId;
    return {
      ok: false,
      message: `billops has posted ${books.documents} document${books.documents === 1 ? '' : 's'} to the ${name} organisation ${theirs}, and this sign-in chose another one${tenant.tenantName === null ? '' : ` (${tenant.tenantName})`}. Nothing changed: connect ${theirs} again (choose it on ${name}'s consent page).`,
    };
  }
  await saveErpConnection(deps.db, settings.encryptionKey, {
    provider: settings.provider,
    tenantId: tenant.tenantId,
    tenantName: tenant.tenantName,
    tokens: exchanged.tokens,
    connectedBy: state.claims.userId,
    now,
  });
  return {
    ok: true,
    provider: settings.provider,
    tenantId: tenant.tenantId,
    tenantName: tenant.tenantName,
    userId: state.claims.userId,
  };
}

type Tenant = { ok: true; tenantId: string; tenantName: string | null } | { ok: false; message: string };

function quickBooksRealm(query: URLSearchParams): Tenant {
  const realmId = query.get('realmId');
  if (realmId === null || !/^\d+$/.test(realmId)) {
    return { ok: false, message: 'QuickBooks did not say which company was connected (no realmId).' };
  }
  return { ok: true, tenantId: realmId, tenantName: null };
}

/**
 * NOTE: one grant's tokens can reach several Xero organisations, but a refresh token must live in one
 * row (two rows refreshing the same token is the classic invalid_grant), so one is connected: the one
 * billops already posts to when the grant reaches it, else the organisation just authorised (the newest
 * updatedDateUtc, as xero-node's updateTenants sorts them).
 */
async function xeroTenant(
  connectionsUrl: string,
  accessToken: string,
  postingTo: string | undefined,
): Promise<Tenant> {
  const response = await fetch(connectionsUrl, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(15_000),
  }).catch(() => undefined);
  const parsed = xeroConnections.safeParse(await response?.json().catch(() => undefined));
  if (response?.ok !== true || !parsed.success) {
    return {
      ok: false,
      message: `Xero's connections list could not be read (${response?.status ?? 'no answer'}).`,
    };
  }
  const organisations = parsed.data
    .filter((tenant) => (tenant.tenantType ?? 'ORGANISATION') === 'ORGANISATION')
    .sort((a, b) => (b.updatedDateUtc ?? '').localeCompare(a.updatedDateUtc ?? ''));
  const chosen = organisations.find((tenant) => tenant.tenantId === postingTo) ?? organisations[0];
  if (chosen === undefined) return { ok: false, message: 'The Xero grant reaches no organisation.' };
  return { ok: true, tenantId: chosen.tenantId, tenantName: chosen.tenantName ?? null };
}
