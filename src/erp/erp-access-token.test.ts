import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { erpAccessToken, type AccessTokenDeps } from './erp-access-token.ts';
import { decryptToken, encryptionKeyFrom, encryptToken } from '../secrets/token-crypto.ts';

// A token endpoint that behaves like Xero's and Intuit's: each refresh token works once and is
// replaced by a new one (rotation); a used or revoked one answers 400 invalid_grant.

const KEY = encryptionKeyFrom('ab'.repeat(32));
let database: TestDatabase;
let server: Server;
let deps: AccessTokenDeps;
let valid = new Set<string>();
let refreshCalls = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      refreshCalls += 1;
      const form = new URLSearchParams(body);
      const token = form.get('refresh_token') ?? '';
      const basic = Buffer.from('client:secret').toString('base64');
      if (request.headers.authorization !== `Basic ${basic}` || !valid.delete(token)) {
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      const next = `refresh-${refreshCalls}`;
      valid.add(next);
      // NOTE: slow on purpose, so concurrent callers really overlap the refresh.
      setTimeout(() => {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ access_token: `access-${refreshCalls}`, refresh_token: next, expires_in: 1800 }),
          );
      }, 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  deps = {
    db: database.db,
    clock: { now: () => new Date('2026-11-21T10:00:00Z') },
    encryptionKey: KEY,
    oauth: { tokenUrl: `http://127.0.0.1:${port}/connect/token`, clientId: 'client', clientSecret: 'secret' },
  };
});
afterAll(async () => {
  server.close();
  await database.close();
});
beforeEach(async () => {
  await database.db.deleteFrom('erp_connections').execute();
  valid = new Set(['refresh-0']);
  refreshCalls = 0;
  await database.db
    .insertInto('erp_connections')
    .values({
      provider: 'xero',
      tenant_id: 'tenant-1',
      access_token_encrypted: encryptToken(KEY, 'access-0'),
      refresh_token_encrypted: encryptToken(KEY, 'refresh-0'),
      access_token_expires_at: new Date('2026-11-21T09:59:00Z'),
    })
    .execute();
});

describe('erpAccessToken', () => {
  it('refreshes once for ten concurrent callers and stores the rotated pair', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => erpAccessToken(deps, 'xero', 'tenant-1')),
    );
    expect(refreshCalls).toBe(1);
    expect(new Set(results.map((result) => (result.ok ? result.accessToken : result.code)))).toEqual(
      new Set(['access-1']),
    );
    expect(results.filter((result) => result.ok && result.refreshed)).toHaveLength(1);
    const stored = await database.db.selectFrom('erp_connections').selectAll().executeTakeFirstOrThrow();
    expect(decryptToken(KEY, stored.refresh_token_encrypted)).toBe('refresh-1');
    expect(stored.access_token_encrypted).not.toContain('access-1');
    expect(stored.access_token_expires_at.toISOString()).toBe('2026-11-21T10:30:00.000Z');
  });

  it('uses a token that is still fresh without calling the endpoint', async () => {
    await erpAccessToken(deps, 'xero', 'tenant-1');
    refreshCalls = 0;
    const again = await erpAccessToken(deps, 'xero', 'tenant-1');
    expect(again).toEqual({ ok: true, accessToken: 'access-1', refreshed: false });
    expect(refreshCalls).toBe(0);
  });

  it('marks a revoked grant as needing a reconnect, and says so from then on', async () => {
    valid.clear();
    expect(await erpAccessToken(deps, 'xero', 'tenant-1')).toMatchObject({
      ok: false,
      code: 'needs_reconnect',
    });
    const stored = await database.db.selectFrom('erp_connections').select('status').executeTakeFirstOrThrow();
    expect(stored.status).toBe('needs_reconnect');
    refreshCalls = 0;
    expect(await erpAccessToken(deps, 'xero', 'tenant-1')).toMatchObject({
      ok: false,
      code: 'needs_reconnect',
    });
    expect(refreshCalls).toBe(0);
  });

  it('says when no connection exists', async () => {
    expect(await erpAccessToken(deps, 'quickbooks', 'realm-9')).toMatchObject({
      ok: false,
      code: 'not_connected',
    });
  });
});
