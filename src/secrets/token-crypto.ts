import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// ERP tokens at rest: AES-256-GCM with ENCRYPTION_KEY. The stored text is `v1.<iv>.<tag>.<ciphertext>`
// (base64url), so a key rotation can add v2 without guessing. GCM's tag makes tampering an error.

const VERSION = 'v1';

export class TokenDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenDecryptionError';
  }
}

/** A 32-byte key from ENCRYPTION_KEY (64 hex characters or 44 base64 characters). */
export function encryptionKeyFrom(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new RangeError('ENCRYPTION_KEY must be 32 bytes: 64 hex characters (openssl rand -hex 32)');
  }
  return key;
}

export function encryptToken(key: Buffer, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptToken(key: Buffer, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new TokenDecryptionError(
      'The stored ERP token is not in a format billops wrote; reconnect the ERP',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new TokenDecryptionError(
      'The stored ERP token cannot be decrypted: ENCRYPTION_KEY changed or the row was altered; reconnect the ERP',
    );
  }
}
