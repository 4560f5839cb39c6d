import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AuditLogRow, Database, JsonObject } from '../db/schema.ts';
import { auditChainKeyOf } from './audit-chain-key.ts';
import { GENESIS_HASH, hashAuditEntry, macAuditEntry } from './audit-hash.ts';

export interface AuditEntry {
  /** Slack user id, or `system:<part>` for the app itself. */
  actor: string;
  /** Dotted verb, e.g. `invoice.approved`. */
  action: string;
  subjectType: string;
  subjectId: string;
  details?: JsonObject;
}

// Any constant shared by all writers; the lock serialises appends so the chain has one order.
const AUDIT_LOCK_KEY = 0x6175646974; // "audit"

/**
 * Appends an entry to the hash-chained audit log, inside the caller's transaction when given one,
 * so the entry commits (or rolls back) with the change it records. Keyed (HMAC) when the handle
 * carries the audit key (withAuditChainKey), as the app's does whenever AUDIT_KEY or ENCRYPTION_KEY is set.
 */
export async function recordAuditEntry(
  db: Db | Transaction<Database>,
  entry: AuditEntry,
  now: Date = new Date(),
): Promise<AuditLogRow> {
  if (!db.isTransaction) return db.transaction().execute((trx) => recordAuditEntry(trx, entry, now));

  // NOTE: held until commit, so appends are serial; seq and prev_hash are read after taking it.
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(db);
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();

  const fields = {
    seq: String(BigInt(last?.seq ?? '0') + 1n),
    // Millisecond precision survives the timestamptz round trip, so the hash can be recomputed.
    at: new Date(now.getTime()),
    actor: entry.actor,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    details: entry.details ?? {},
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const key = auditChainKeyOf(db);
  return db
    .insertInto('audit_log')
    .values({
      seq: fields.seq,
      at: fields.at,
      actor: fields.actor,
      action: fields.action,
      subject_type: fields.subjectType,
      subject_id: fields.subjectId,
      details: JSON.stringify(fields.details),
      prev_hash: fields.prevHash,
      hash: key === undefined ? hashAuditEntry(fields) : macAuditEntry(fields, key),
      hash_version: key === undefined ? 1 : 2,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
