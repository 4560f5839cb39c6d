import type { Db } from '../db/database.ts';
import { appendAuditAnchor, readAuditAnchors, type AnchorReason, type AuditAnchor } from './audit-anchors.ts';
import { verifyAuditLog, type AuditVerification } from './verify-audit-log.ts';

export type AnchorAuditLogResult =
  | { code: 'anchored'; anchor: AuditAnchor; entries: number }
  | { code: 'empty' }
  | { code: 'chain_broken'; verification: Extract<AuditVerification, { ok: false }> };

/**
 * Verifies the chain against the anchors so far and, when it holds, appends its head to the anchor file.
 * NOTE: a broken chain is never anchored, so an anchor only ever vouches for a chain that verified; the
 * head anchored is the newest entry the walk verified, never one appended after it.
 */
export async function anchorAuditLog(
  db: Db,
  input: { anchorFile: string; reason: AnchorReason; now: Date },
): Promise<AnchorAuditLogResult> {
  const anchors = await readAuditAnchors(input.anchorFile);
  const verification = await verifyAuditLog(db, { anchors });
  if (!verification.ok) return { code: 'chain_broken', verification };
  if (verification.head === undefined) return { code: 'empty' };
  const anchor: AuditAnchor = {
    seq: verification.head.seq,
    hash: verification.head.hash,
    keyedFrom: verification.keyedFrom,
    at: input.now.toISOString(),
    reason: input.reason,
  };
  await appendAuditAnchor(input.anchorFile, anchor);
  return { code: 'anchored', anchor, entries: verification.entries };
}
