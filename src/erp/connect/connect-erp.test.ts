import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApprovedInvoice, insertCustomer } from '../../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { startLocalQuickBooks, type LocalQuickBooks } from '../../../test/fakes/quickbooks/index.ts';
import { startLocalXero } from '../../local/xero/index.ts';
import { createErpGateway } from '../erp-gateway.ts';
import { decryptToken } from '../../secrets/token-crypto.ts';
import { completeErpConnection, erpAuthorizeLink } from './connect-erp.ts';
import type { ErpOAuthSettings } from '../../ports/erp-gateway.ts';
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

describe('one set of books', () => {
  const current = async () => {
    const row = await database.db
      .selectFrom('erp_connections')
      .select('tenant_id')
      .orderBy('connected_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return row.tenant_id;
  };
  const signIn = async (realmId: string) => {
    const query = await consent(erpAuthorizeLink(settings, 'U0APPROVER1', clock.now()));
    query.set('realmId', realmId);
    return completeErpConnection({ db: database.db, clock }, settings, query);
  };
  const OTHER_COMPANY = '9130350000000001';

  it('forgets the customer ids made in the company it leaves, and keeps them when the same one reconnects', async () => {
    const TRIAL_COMPANY = '9130350000000002';
    expect(await signIn(TRIAL_COMPANY)).toMatchObject({ ok: true });
    const customerId = await insertCustomer(database.db);
    const setId = () =>
      database.db
        .updateTable('customers')
        .set({ quickbooks_customer_id: '58' })
        .where('id', '=', customerId)
        .execute();
    const storedId = async () =>
      (
        await database.db
          .selectFrom('customers')
          .select('quickbooks_customer_id')
          .where('id', '=', customerId)
          .executeTakeFirstOrThrow()
      ).quickbooks_customer_id;
    await setId();
    expect(await signIn(TRIAL_COMPANY)).toMatchObject({ ok: true });
    expect(await storedId()).toBe('58');
    expect(await signIn(qbo.realmId)).toMatchObject({ ok: true, tenantId: qbo.realmId });
    expect(await storedId()).toBeNull();
    await database.db.deleteFrom('customers').where('id', '=', customerId).execute();
  });

  it('refuses another company once anything was posted to the connected one; the same one reconnects', async () => {
    // Nothing posted yet: a first choice can still be corrected.
    expect(await signIn(OTHER_COMPANY)).toMatchObject({ ok: true, tenantId: OTHER_COMPANY });
    expect(await signIn(qbo.realmId)).toMatchObject({ ok: true, tenantId: qbo.realmId });

    const customerId = await insertCustomer(database.db);
    const invoiceId = await insertApprovedInvoice(database.db, {
      customerId,
      taxRate: 10,
      taxCode: 'TAX',
      itemCode: '1',
      accountCode: '200',
    });
    await database.db
      .insertInto('erp_syncs')
      .values({
        invoice_id: invoiceId,
        provider: 'quickbooks',
        idempotency_key: randomUUID(),
        state: 'synced',
        external_id: '130',
        synced_at: new Date(),
      })
      .execute();

    const refused = await signIn(OTHER_COMPANY);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toContain(
      `billops has posted 1 document to the QuickBooks Online organisation ${qbo.realmId}`,
    );
    expect(!refused.ok && refused.message).toContain('Nothing changed');
    expect(await current()).toBe(qbo.realmId);

    expect(await signIn(qbo.realmId)).toMatchObject({ ok: true, tenantId: qbo.realmId });
  });
});

describe('reconnecting Xero when the grant reaches several organisations', () => {
  it('keeps the organisation billops already posts to, not whichever Xero lists first', async () => {
    const first = 'a1b2c3d4-0000-4000-8000-000000000001';
    const posting = 'a1b2c3d4-0000-4000-8000-000000000002';
    const xero = await startLocalXero({ tenantIds: [first, posting] });
    const xeroDatabase = await createTestDatabase();
    try {
      const xeroSettings: ErpOAuthSettings = {
        provider: 'xero',
        endpoints: {
          clientId: xero.clientId,
          clientSecret: xero.clientSecret,
          apiUrl: xero.apiUrl,
          authorizeUrl: xero.authorizeUrl,
          tokenUrl: xero.tokenUrl,
          connectionsUrl: xero.connectionsUrl,
        },
        redirectUri: settings.redirectUri,
        encryptionKey: KEY,
      };
      const signIn = async () => {
        const response = await fetch(erpAuthorizeLink(xeroSettings, 'U0APPROVER1', clock.now()), {
          redirect: 'manual',
        });
        const query = new URL(response.headers.get('location') ?? '').searchParams;
        return completeErpConnection({ db: xeroDatabase.db, clock }, xeroSettings, query);
      };
      // Nothing posted yet: the organisation Xero lists first is the one connected.
      expect(await signIn()).toMatchObject({ ok: true, tenantId: first });
      // Invoices went to the second organisation (connected by hand, say, after a correction).
      await xeroDatabase.db
        .updateTable('erp_connections')
        .set({ tenant_id: posting, tenant_name: 'billops Demo 2' })
        .execute();
      const customerId = await insertCustomer(xeroDatabase.db);
      const invoiceId = await insertApprovedInvoice(xeroDatabase.db, {
        customerId,
        taxRate: 20,
        taxCode: 'OUTPUT2',
        itemCode: null,
        accountCode: '200',
      });
      await xeroDatabase.db
        .insertInto('erp_syncs')
        .values({
          invoice_id: invoiceId,
          provider: 'xero',
          idempotency_key: randomUUID(),
          state: 'uncertain',
        })
        .execute();

      expect(await signIn()).toMatchObject({ ok: true, tenantId: posting });
    } finally {
      await xeroDatabase.close();
      await xero.stop();
    }
  });
});
