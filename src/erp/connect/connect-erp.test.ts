import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { startLocalQuickBooks, type LocalQuickBooks } from '../../local/quickbooks/index.ts';
import { createErpGateway } from '../erp-gateway.ts';
import { decryptToken } from '../token-crypto.ts';
import { completeErpConnection, erpAuthorizeLink, type ErpOAuthSettings } from './connect-erp.ts';
import { signOAuthState } from './oauth-state.ts';

// QuickBooks Online connected through Intuit's flow (the realm comes back on the redirect), against the
// local QuickBooks server's authorization server; then the gateway posts through that connection.

const KEY = Buffer.alloc(32, 3);
let database: TestDatabase;
let qbo: LocalQuickBooks;
let settings: ErpOAuthSettings;
const clock = { now: () => new Date() };

beforeAll(async () => {
  database = await createTestDatabase();
  qbo = await startLocalQuickBooks();
  settings = {
    provider: 'quickbooks',
    endpoints: {
      clientId: qbo.clientId,
      clientSecret: qbo.clientSecret,
      apiUrl: qbo.url,
      authorizeUrl: qbo.authorizeUrl,
      tokenUrl: qbo.tokenUrl,
      connectionsUrl: '',
    },
    redirectUri: 'https://billops.example.com/erp/callback',
    encryptionKey: KEY,
  };
});
afterAll(async () => {
  await qbo.stop();
  await database.close();
});

async function consent(link: string): Promise<URLSearchParams> {
  const response = await fetch(link, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(settings.redirectUri);
  return location.searchParams;
}

describe('connecting QuickBooks Online', () => {
  it('stores the realm from the redirect with its tokens encrypted, and the gateway posts through it', async () => {
    const link = erpAuthorizeLink(settings, 'U0APPROVER1', clock.now());
    expect(new URL(link).searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting');
    const query = await consent(link);
    const outcome = await completeErpConnection({ db: database.db, clock }, settings, query);
    expect(outcome).toEqual({
      ok: true,
      provider: 'quickbooks',
      tenantId: qbo.realmId,
      tenantName: null,
      userId: 'U0APPROVER1',
    });
    const row = await database.db.selectFrom('erp_connections').selectAll().executeTakeFirstOrThrow();
    expect(row.connected_by).toBe('U0APPROVER1');
    const accessToken = decryptToken(KEY, row.access_token_encrypted);
    expect(qbo.oauth.isValidAccessToken(accessToken)).toBe(true);
    expect(row.access_token_encrypted).not.toContain(accessToken);

    const opened = await createErpGateway({ db: database.db, clock, oauth: settings }).open();
    if (!opened.ok) throw new Error(opened.message);
    expect(await opened.client.findInvoiceByNumber('INV-2026-99999')).toEqual({ ok: true, value: null });
  });

  it('refuses a state it did not sign, one for another ERP, and an expired one', async () => {
    const query = await consent(erpAuthorizeLink(settings, 'U0APPROVER1', clock.now()));
    const forged = new URLSearchParams(query);
    forged.set(
      'state',
      signOAuthState(Buffer.alloc(32, 9), { provider: 'quickbooks', userId: 'U0X' }, clock.now()),
    );
    expect(await completeErpConnection({ db: database.db, clock }, settings, forged)).toMatchObject({
      ok: false,
      message: expect.stringContaining('not made by billops') as string,
    });
    const xero = new URLSearchParams(query);
    xero.set('state', signOAuthState(KEY, { provider: 'xero', userId: 'U0X' }, clock.now()));
    expect(await completeErpConnection({ db: database.db, clock }, settings, xero)).toMatchObject({
      ok: false,
    });
    const later = { now: () => new Date(Date.now() + 16 * 60_000) };
    expect(await completeErpConnection({ db: database.db, clock: later }, settings, query)).toMatchObject({
      ok: false,
      message: expect.stringContaining('expired') as string,
    });
  });

  it('says nothing changed when the person declines', async () => {
    const state = signOAuthState(KEY, { provider: 'quickbooks', userId: 'U0APPROVER1' }, clock.now());
    const declined = new URLSearchParams({ error: 'access_denied', state });
    expect(await completeErpConnection({ db: database.db, clock }, settings, declined)).toEqual({
      ok: false,
      message: 'QuickBooks Online did not connect (access_denied). Nothing changed.',
    });
  });
});
