import { hkdfSync } from 'node:crypto';

// NOTE: a distinct HKDF label, so the audit chain's key is never the key that encrypts ERP tokens, and
// knowing one derived key says nothing about the other or about ENCRYPTION_KEY itself (RFC 5869).
const AUDIT_CHAIN_LABEL = 'billops audit-log chain key v1';

/** The audit chain's HMAC key derived from ENCRYPTION_KEY, for deployments that set no AUDIT_KEY. */
export function auditChainKeyFromEncryptionKey(encryptionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), AUDIT_CHAIN_LABEL, 32));
}
