import type { Db } from '../db/database.ts';
import type { AuditLogRow } from '../db/schema.ts';
import type { AuditAnchor } from './audit-anchors.ts';
import { auditChainKeyOf } from './audit-chain-key.ts';
import { GENESIS_HASH, hashAuditEntry, macAuditEntry, type HashedFields } from './audit-hash.ts';

export type AuditProblem =
  | 'content_changed'
  | 'chain_broken'
  | 'entry_missing'
  /** An unkeyed entry where the chain was already keyed: rewritten by someone without the key. */
  | 'unkeyed_after_keyed'
  /** A keyed entry, and no key to check it with. */
  | 'key_missing'
  /** The entry an anchor names no longer has the anchored hash: history before it was rewritten. */
  | 'anchor_mismatch'
  /** The chain ends before an anchored entry: its newest entries were deleted, or the table emptied. */
  | 'entries_removed';

export type AuditVerification =
  | {
      ok: true;
      entries: number;
      /** The newest entry verified (none in an empty log): what an anchor records. */
      head: { seq: string; hash: string } | undefined;
      /** The first keyed entry, if any. */
      keyedFrom: string | null;
      /** How many anchors the chain was checked against. */
      anchors: number;
    }
  | {
      ok: false;
      /** The first entry at which the chain differs from what was written (or anchored). */
      seq: string;
      problem: AuditProblem;
      message: string;
      /** That entry as the database holds it now (absent when it was removed). */
      entry: AuditLogRow | undefined;
      /** The anchor that shows it, for anchor_mismatch and entries_removed. */
      anchor: AuditAnchor | undefined;
    };

export interface VerifyAuditLogOptions {
  /** The audit key; default: the one the handle carries (withAuditChainKey). */
  key?: Buffer;
  /** Chain heads kept outside the database (readAuditAnchors); without them a deleted tail goes unseen. */
  anchors?: readonly AuditAnchor[];
}

const PAGE_SIZE = 1000;

/**
 * Re-walks the whole chain: recomputes each hash (keyed entries with the audit key), checks links and
 * sequence numbers, and checks it against the anchors: every anchored entry still has its anchored
 * hash, none was removed, and entries stay keyed from where an anchor saw the keying start.
 */
export async function verifyAuditLog(
  db: Db,
  options: VerifyAuditLogOptions = {},
): Promise<AuditVerification> {
  const key = options.key ?? auditChainKeyOf(db);
  const anchors = options.anchors ?? [];
  const anchorsBySeq = new Map<string, AuditAnchor[]>();
  for (const anchor of anchors)
    anchorsBySeq.set(anchor.seq, [...(anchorsBySeq.get(anchor.seq) ?? []), anchor]);
  const anchoredKeyedFrom = anchors.reduce<bigint | undefined>((first, anchor) => {
    if (anchor.keyedFrom === null) return first;
    const seq = BigInt(anchor.keyedFrom);
    return first === undefined || seq < first ? seq : first;
  }, undefined);
  // The newest anchor that still matched, so an anchor mismatch can say since when history differs.
  let lastMatched: AuditAnchor | undefined;

  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let keyedFrom: string | null = null;
  let head: { seq: string; hash: string } | undefined;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', String(expectedSeq))
      .orderBy('seq')
      .limit(PAGE_SIZE)
      .execute();
    for (const row of rows) {
      const seq = row.seq;
      if (BigInt(seq) !== expectedSeq) {
        return broken(
          String(expectedSeq),
          'entry_missing',
          `entry ${expectedSeq} is missing (next is ${seq})`,
        );
      }
      if (row.prev_hash !== prevHash) {
        return broken(seq, 'chain_broken', `entry ${seq} does not link to the entry before it`, row);
      }
      if (row.hash_version === 1) {
        const keyedSince =
          keyedFrom ?? (anchoredKeyedFrom === undefined ? undefined : String(anchoredKeyedFrom));
        if (keyedSince !== undefined && BigInt(seq) >= BigInt(keyedSince)) {
          return broken(
            seq,
            'unkeyed_after_keyed',
            `entry ${seq} is not keyed, but the chain is keyed from entry ${keyedSince} on: it was rewritten without the audit key (or an instance ran without AUDIT_KEY/ENCRYPTION_KEY)`,
            row,
          );
        }
      } else {
        if (key === undefined) {
          return broken(
            seq,
            'key_missing',
            `entry ${seq} is keyed and no audit key is set: set AUDIT_KEY (or the ENCRYPTION_KEY it was derived from) to verify it`,
            row,
          );
        }
        keyedFrom ??= seq;
      }
      const fields = hashedFieldsOf(row);
      const recomputed =
        row.hash_version === 1 || key === undefined ? hashAuditEntry(fields) : macAuditEntry(fields, key);
      if (recomputed !== row.hash) {
        return broken(
          seq,
          'content_changed',
          row.hash_version === 1
            ? `entry ${seq} was changed after it was written`
            : `entry ${seq} was changed after it was written (or the audit key is not the one it was written with)`,
          row,
        );
      }
      for (const anchor of anchorsBySeq.get(seq) ?? []) {
        if (anchor.hash !== row.hash) {
          const since =
            lastMatched === undefined ? 'the first entry' : `entry ${BigInt(lastMatched.seq) + 1n}`;
          return broken(
            seq,
            'anchor_mismatch',
            `entry ${seq} is not the entry anchored on ${anchor.at}: the chain was rewritten from ${since} up to it`,
            row,
            anchor,
          );
        }
        lastMatched = anchor;
      }
      prevHash = row.hash;
      head = { seq, hash: row.hash };
      expectedSeq += 1n;
    }
    if (rows.length < PAGE_SIZE) break;
  }

  const newest = anchors.reduce<AuditAnchor | undefined>(
    (latest, anchor) => (latest === undefined || BigInt(anchor.seq) > BigInt(latest.seq) ? anchor : latest),
    undefined,
  );
  if (newest !== undefined && BigInt(newest.seq) >= expectedSeq) {
    const last = expectedSeq - 1n;
    return broken(
      String(expectedSeq),
      'entries_removed',
      last === 0n
        ? `the audit log is empty, but entry ${newest.seq} was anchored on ${newest.at}: the table was emptied`
        : `the audit log ends at entry ${last}, but entry ${newest.seq} was anchored on ${newest.at}: ${expectedSeq === BigInt(newest.seq) ? `entry ${newest.seq} was` : `entries ${expectedSeq}–${newest.seq} were`} removed`,
      undefined,
      newest,
    );
  }
  return { ok: true, entries: Number(expectedSeq - 1n), head, keyedFrom, anchors: anchors.length };
}

function hashedFieldsOf(row: AuditLogRow): HashedFields {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: row.details,
    prevHash: row.prev_hash,
  };
}

function broken(
  seq: string,
  problem: AuditProblem,
  message: string,
  entry?: AuditLogRow,
  anchor?: AuditAnchor,
): AuditVerification {
  return { ok: false, seq, problem, message, entry, anchor };
}
