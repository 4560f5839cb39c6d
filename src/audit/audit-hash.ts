import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  seq: string;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details: JsonObject;
  prevHash: string;
}

/** SHA-256 over a canonical JSON of the entry and the previous entry's hash. */
export function hashAuditEntry(fields: HashedFields): string {
  const canonical = canonicalJson([
    fields.seq,
    fields.at.toISOString(),
    fields.actor,
    fields.action,
    fields.subjectType,
    fields.subjectId,
    fields.details,
    fields.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so the same content always hashes the same after a jsonb round trip. */
function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
