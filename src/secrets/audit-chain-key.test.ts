import { describe, expect, it } from 'vitest';
import { auditChainKeyFromEncryptionKey } from './audit-chain-key.ts';

describe('auditChainKeyFromEncryptionKey', () => {
  it('derives a stable 32-byte key that is not the encryption key', () => {
    const encryptionKey = Buffer.alloc(32, 3);
    const key = auditChainKeyFromEncryptionKey(encryptionKey);
    expect(key).toHaveLength(32);
    expect(key.equals(encryptionKey)).toBe(false);
    expect(auditChainKeyFromEncryptionKey(Buffer.alloc(32, 3)).equals(key)).toBe(true);
    expect(auditChainKeyFromEncryptionKey(Buffer.alloc(32, 4)).equals(key)).toBe(false);
  });
});
