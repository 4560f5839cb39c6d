import type { AuditLogRow } from '../db/schema.ts';
import type { AuditAnchor } from './audit-anchors.ts';
import type { AuditVerification } from './verify-audit-log.ts';

const DETAILS_SHOWN = 400;

/** One line for an entry, as an operator compares it with what they remember: when, who, what, on what. */
export function describeAuditEntry(entry: AuditLogRow): string {
  const details = JSON.stringify(entry.details);
  const shown = details.length > DETAILS_SHOWN ? `${details.slice(0, DETAILS_SHOWN)}…` : details;
  return `entry ${entry.seq}: ${entry.at.toISOString()} ${entry.actor} ${entry.action} ${entry.subject_type} ${entry.subject_id} ${shown} (hash ${entry.hash}, ${entry.hash_version === 2 ? 'keyed' : 'unkeyed'})`;
}

export function describeAuditAnchor(anchor: AuditAnchor): string {
  return `entry ${anchor.seq}, hash ${anchor.hash}${anchor.keyedFrom === null ? ', unkeyed' : `, keyed from entry ${anchor.keyedFrom}`} (${anchor.reason}, ${anchor.at})`;
}

/** What failed verification says: the problem, then the first entry that differs as it stands now. */
export function describeAuditFailure(failure: Extract<AuditVerification, { ok: false }>): string[] {
  return [
    `Audit log tampered: ${failure.message}`,
    failure.entry === undefined ? `entry ${failure.seq}: removed` : describeAuditEntry(failure.entry),
    ...(failure.anchor === undefined ? [] : [`anchored: ${describeAuditAnchor(failure.anchor)}`]),
  ];
}
