import { describe, expect, it } from 'vitest';
import { decryptToken, encryptionKeyFrom, encryptToken, TokenDecryptionError } from './token-crypto.ts';

const KEY = encryptionKeyFrom('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');

describe('ERP token encryption', () => {
  it('round-trips a token and never stores it in clear', () => {
    const stored = encryptToken(KEY, 'refresh-token-abc');
    expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain('refresh-token-abc');
    expect(decryptToken(KEY, stored)).toBe('refresh-token-abc');
    expect(encryptToken(KEY, 'refresh-token-abc')).not.toBe(stored);
  });

  it('refuses a tampered value, another key, or a foreign format', () => {
    const stored = encryptToken(KEY, 'secret');
    const [version, iv, tag, body = ''] = stored.split('.');
    const flipped = `${version ?? ''}.${iv ?? ''}.${tag ?? ''}.${body.startsWith('A') ? 'B' : 'A'}${body.slice(1)}`;
    expect(() => decryptToken(KEY, flipped)).toThrow(TokenDecryptionError);
    expect(() => decryptToken(encryptionKeyFrom(Buffer.alloc(32, 7).toString('base64')), stored)).toThrow(
      /ENCRYPTION_KEY changed/,
    );
    expect(() => decryptToken(KEY, 'plain-token')).toThrow(/not in a format billops wrote/);
  });

  it('says how to make a key when it has the wrong size', () => {
    expect(() => encryptionKeyFrom('short')).toThrow('openssl rand -hex 32');
  });
});
