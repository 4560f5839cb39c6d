import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../../db/database.ts';
import type { ErpProvider } from '../../ports/erp-client.ts';
import type { TokenPair } from '../oauth-token-endpoint.ts';
import { encryptToken } from '../../secrets/token-crypto.ts';
import type { ErpConnection } from '../../ports/erp-gateway.ts';

/** The tenant invoices go to: the provider's most recently connected one. */
export async function currentErpConnection(
  db: Db,
  provider: ErpProvider,
): Promise<ErpConnection | undefined> {
  const row = await db
    .selectFrom('erp_connections')
    .select(['id', 'provider', 'tenant_id', 'tenant_name', 'status', 'paused_until'])
    .where('provider', '=', provider)
    .orderBy('connected_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        id: row.id,
        provider: row.provider,
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        status: row.status,
        pausedUntil: row.paused_until,
      };
}

/** Stores a new grant (tokens encrypted), replacing any earlier one for the tenant; it becomes current. */
export async function saveErpConnection(
  db: Db,
  encryptionKey: Buffer,
  connection: {
    provider: ErpProvider;
    tenantId: string;
    tenantName: string | null;
    tokens: TokenPair;
    connectedBy: string;
    now: Date;
  },
): Promise<void> {
  const values = {
    tenant_name: connection.tenantName,
    access_token_encrypted: encryptToken(encryptionKey, connection.tokens.accessToken),
    refresh_token_encrypted: encryptToken(encryptionKey, connection.tokens.refreshToken),
    access_token_expires_at: connection.tokens.expiresAt,
    status: 'active' as const,
    connected_by: connection.connectedBy,
    connected_at: connection.now,
    paused_until: null,
    updated_at: connection.now,
  };
  const previous = await currentErpConnection(db, connection.provider);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('erp_connections')
      .values({ provider: connection.provider, tenant_id: connection.tenantId, ...values })
      .onConflict((conflict) => conflict.columns(['provider', 'tenant_id']).doUpdateSet(values))
      .execute();
    // NOTE: the contact ids stored on customers belong to the organisation they were made in; another
    // organisation does not know them (Xero: "The contact with ContactID … could not be found").
    if (previous !== undefined && previous.tenantId !== connection.tenantId)
      await forgetErpContacts(trx, connection.provider);
  });
}

/** Customers' contact ids in the provider are forgotten: each is found or made again at its next post. */
export async function forgetErpContacts(
  db: Db | Transaction<Database>,
  provider: ErpProvider,
): Promise<void> {
  await db
    .updateTable('customers')
    .set(provider === 'xero' ? { xero_contact_id: null } : { quickbooks_customer_id: null })
    .where(provider === 'xero' ? 'xero_contact_id' : 'quickbooks_customer_id', 'is not', null)
    .execute();
}

/** Holds a tenant's syncs until `until` (its daily limit); true when this call started or extended the pause. */
export async function pauseErpConnection(db: Db, connectionId: string, until: Date): Promise<boolean> {
  const paused = await db
    .updateTable('erp_connections')
    .set({ paused_until: until })
    .where('id', '=', connectionId)
    .where((eb) => eb.or([eb('paused_until', 'is', null), eb('paused_until', '<', until)]))
    .returning('id')
    .executeTakeFirst();
  return paused !== undefined;
}

/** Ends a pause whose time has come; true for the one caller that ended it (who says so in Slack). */
export async function endErpPause(db: Db, connectionId: string, now: Date): Promise<boolean> {
  const resumed = await db
    .updateTable('erp_connections')
    .set({ paused_until: null })
    .where('id', '=', connectionId)
    .where('paused_until', '<=', now)
    .returning('id')
    .executeTakeFirst();
  return resumed !== undefined;
}

/** Syncs of this provider that wait for a call (after a reconnect they are queued again). */
export async function waitingErpSyncIds(db: Db, provider: ErpProvider): Promise<string[]> {
  const rows = await db
    .selectFrom('erp_syncs')
    .select('id')
    .where('provider', '=', provider)
    .where(sql<boolean>`state in ('pending', 'uncertain')`)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The organisation billops has posted to (the current connection's), when it has posted anything:
 * invoices or credit notes synced there, or possibly there (in flight, uncertain). Undefined when
 * nothing has gone out yet, so connecting another organisation is still harmless.
 */
export async function booksPostedTo(
  db: Db,
  provider: ErpProvider,
): Promise<{ connection: ErpConnection; documents: number } | undefined> {
  const connection = await currentErpConnection(db, provider);
  if (connection === undefined) return undefined;
  const posted = ['synced', 'in_flight', 'uncertain'] as const;
  const { rows } = await sql<{ documents: number }>`
    select (
      (select count(*) from erp_syncs where provider = ${provider} and state in (${sql.join([...posted])}))
      + (select count(*) from erp_credit_note_syncs where provider = ${provider} and state in (${sql.join([...posted])}))
    )::int as documents
  `.execute(db);
  const documents = rows[0]?.documents ?? 0;
  return documents > 0 ? { connection, documents } : undefined;
}
