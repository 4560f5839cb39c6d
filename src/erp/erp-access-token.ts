import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { ErpProvider } from '../ports/erp-client.ts';
import { refreshTokens, type OAuthClient } from './oauth-token-endpoint.ts';
import { decryptToken, encryptToken } from '../secrets/token-crypto.ts';

// NOTE: Xero access tokens last 30 minutes, Intuit's an hour; refresh a little before expiry.
const REFRESH_MARGIN_MS = 120_000;

export type AccessTokenResult =
  | { ok: true; accessToken: string; refreshed: boolean }
  | {
      ok: false;
      code: 'not_connected' | 'needs_reconnect' | 'unavailable';
      message: string;
      /** True for the one caller that found the grant dead and marked the connection: it raises the alert. */
      changed?: boolean;
    };

export interface AccessTokenDeps {
  db: Db;
  clock: { now(): Date };
  encryptionKey: Buffer;
  oauth: OAuthClient;
}

/**
 * A current access token for one ERP tenant. Refreshes are single-flight per tenant: the connection
 * row is locked for the refresh, so concurrent callers wait and then use the new token, and the
 * rotated refresh token is saved in the same transaction (two refreshes with one refresh token are
 * the classic cause of invalid_grant). A dead grant marks the connection `needs_reconnect`.
 */
export async function erpAccessToken(
  deps: AccessTokenDeps,
  provider: ErpProvider,
  tenantId: string,
): Promise<AccessTokenResult> {
  return deps.db.transaction().execute(async (trx) => {
    const connection = await lockedConnection(trx, provider, tenantId);
    if (connection === undefined) {
      return {
        ok: false,
        code: 'not_connected',
        message: `No ${provider} connection for ${tenantId}: connect it first`,
      } as const;
    }
    if (connection.status === 'needs_reconnect') {
      return {
        ok: false,
        code: 'needs_reconnect',
        message: `The ${provider} connection needs reconnecting`,
      } as const;
    }
    const now = deps.clock.now();
    if (connection.access_token_expires_at.getTime() - REFRESH_MARGIN_MS > now.getTime()) {
      return {
        ok: true,
        accessToken: decryptToken(deps.encryptionKey, connection.access_token_encrypted),
        refreshed: false,
      } as const;
    }
    const refreshed = await refreshTokens(
      deps.oauth,
      decryptToken(deps.encryptionKey, connection.refresh_token_encrypted),
      now,
    );
    if (!refreshed.ok) {
      if (refreshed.code === 'invalid_grant') {
        await trx
          .updateTable('erp_connections')
          .set({ status: 'needs_reconnect', updated_at: now })
          .where('id', '=', connection.id)
          .execute();
        return { ok: false, code: 'needs_reconnect', message: refreshed.message, changed: true } as const;
      }
      return { ok: false, code: 'unavailable', message: refreshed.message } as const;
    }
    await trx
      .updateTable('erp_connections')
      .set({
        access_token_encrypted: encryptToken(deps.encryptionKey, refreshed.tokens.accessToken),
        refresh_token_encrypted: encryptToken(deps.encryptionKey, refreshed.tokens.refreshToken),
        access_token_expires_at: refreshed.tokens.expiresAt,
        updated_at: now,
      })
      .where('id', '=', connection.id)
      .execute();
    return { ok: true, accessToken: refreshed.tokens.accessToken, refreshed: true } as const;
  });
}

/**
 * The ERP refused `rejected` (401) before it was due to expire (revoked, or replaced on the vendor's
 * side): mark it expired so the next erpAccessToken refreshes. Nothing changes when the stored token is
 * another one already (someone refreshed meanwhile), so a burst of 401s on one token costs one refresh.
 */
export async function expireAccessToken(
  deps: AccessTokenDeps,
  provider: ErpProvider,
  tenantId: string,
  rejected: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const connection = await lockedConnection(trx, provider, tenantId);
    if (connection === undefined) return;
    if (decryptToken(deps.encryptionKey, connection.access_token_encrypted) !== rejected) return;
    await trx
      .updateTable('erp_connections')
      .set({ access_token_expires_at: deps.clock.now(), updated_at: deps.clock.now() })
      .where('id', '=', connection.id)
      .execute();
  });
}

/** The tenant's connection row, locked until the transaction ends: token changes are single-flight. */
function lockedConnection(trx: Transaction<Database>, provider: ErpProvider, tenantId: string) {
  return trx
    .selectFrom('erp_connections')
    .selectAll()
    .where('provider', '=', provider)
    .where('tenant_id', '=', tenantId)
    .forUpdate()
    .executeTakeFirst();
}
