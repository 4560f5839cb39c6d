import { createHash, createHmac } from 'node:crypto';
import type { JsonObject, JsonValue } from '../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** 1: unkeyed SHA-256 (every entry written before the chain was keyed); 2: HMAC-SHA256 with the audit key. */
export type AuditHashVersion = 1 | 2;

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

/** SHA-256 over a canonical JSON of the entry and the previous entry's hash (hash_version 1). */
export function hashAuditEntry(fields: HashedFields): string {
  return createHash('sha256')
    .update(canonicalJson(hashedValues(fields)))
    .digest('hex');
}

/**
 * HMAC-SHA256 with the audit key over the same canonical JSON, led by the version (hash_version 2):
 * without the key nobody can write an entry, or re-chain edited ones, that verifies.
 */
export function macAuditEntry(fields: HashedFields, key: Buffer): string {
  return createHmac('sha256', key)
    .update(canonicalJson([2, ...hashedValues(fields)]))
    .digest('hex');
}

function hashedValues(fields: HashedFields): JsonValue[] {
  return [
    fields.seq,
    fields.at.toISOString(),
    fields.actor,
    fields.action,
    fields.subjectType,
    fields.subjectId,
    fields.details,
    fields.prevHash,
  ];
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
