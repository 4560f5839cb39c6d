import type { Db } from '../db/database.ts';
import { GENESIS_HASH, hashAuditEntry } from './audit-hash.ts';

export type AuditVerification =
  | { ok: true; entries: number }
  | {
      ok: false;
      /** The first entry at which the chain breaks. */
      seq: string;
      problem: 'content_changed' | 'chain_broken' | 'entry_missing';
      message: string;
    };

const PAGE_SIZE = 1000;

/** Re-walks the whole chain: recomputes each hash and checks links and sequence numbers. */
export async function verifyAuditLog(db: Db): Promise<AuditVerification> {
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
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
        return broken(seq, 'chain_broken', `entry ${seq} does not link to the entry before it`);
      }
      const recomputed = hashAuditEntry({
        seq,
        at: row.at,
        actor: row.actor,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        details: row.details,
        prevHash: row.prev_hash,
      });
      if (recomputed !== row.hash) {
        return broken(seq, 'content_changed', `entry ${seq} was changed after it was written`);
      }
      prevHash = row.hash;
      expectedSeq += 1n;
    }
    if (rows.length < PAGE_SIZE) return { ok: true, entries: Number(expectedSeq - 1n) };
  }
}

function broken(
  seq: string,
  problem: 'content_changed' | 'chain_broken' | 'entry_missing',
  message: string,
): AuditVerification {
  return { ok: false, seq, problem, message };
}
