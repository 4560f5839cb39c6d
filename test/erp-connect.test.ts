import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RECONNECT_ERP } from '../blocks/ids.ts';
import { finalizeInvoice } from '../src/invoices/finalize-invoice.ts';
import type { LocalXero } from '../src/local/xero/index.ts';
import { insertApprovedInvoice, insertCustomer } from './support/billing-factories.ts';
import { buttonsWithActionId, visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Connecting the ERP over OAuth, through the local Xero's real authorization-code flow: the
// /invoice connect link, the callback, a revoked grant's alert and Reconnect, and the daily limit.

const APPROVER = 'U0APPROVER1';
const VIEWER = 'U0VIEWER';
let test: TestApp;
let sandbox: LocalXero;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
const db = () => test.app.deps.db;

beforeAll(async () => {
  test = await startTestApp();
  if (test.app.erpSandbox === undefined) throw new Error('expected the local Xero sandbox');
  sandbox = test.app.erpSandbox;
});
afterAll(async () => {
  await test.stop();
});

/** What the app last answered this person through a response_url or an ephemeral, as JSON text. */
function lastAnswerTo(responseUrl: string): string {
  const id = new URL(responseUrl).pathname.split('/').pop();
  const posts = test.slack.responses(id);
  return JSON.stringify(posts.at(-1)?.body ?? null);
}

/** The consent link in an answer, followed like a browser: the ERP's redirect back lands on our callback. */
async function consentThroughCallback(answer: string): Promise<Response> {
  return fetch(await callbackUrlFor(answer));
}

/** Where the ERP sends the browser back to after consent. */
async function callbackUrlFor(answer: string): Promise<string> {
  const link = /"url":"([^"]+)"/.exec(answer)?.[1];
  if (link === undefined) throw new Error(`no consent link in ${answer}`);
  const consent = await fetch(link, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get('location') ?? '');
  expect(back.pathname).toBe('/erp/callback');
  // NOTE: PUBLIC_URL defaults to localhost:PORT, and tests listen on a free port chosen at start.
  return `${test.app.url}${back.pathname}${back.search}`;
}

async function syncOf(invoiceId: string) {
  return db()
    .selectFrom('erp_syncs')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
}

async function finalizedInvoice(): Promise<{ id: string; number: string }> {
  const customerId = await insertCustomer(db());
  const id = await insertApprovedInvoice(db(), {
    customerId,
    taxRate: 20,
    taxCode: 'OUTPUT2',
    itemCode: null,
    accountCode: '200',
  });
  const finalized = await finalizeInvoice(test.app.deps, id);
  if (finalized.code !== 'finalized') throw new Error(`not finalized: ${finalized.code}`);
  return { id, number: finalized.number };
}

describe('connecting the ERP', () => {
  it('connected the sandbox at start through the OAuth flow, with the tokens encrypted at rest', async () => {
    const rows = await db().selectFrom('erp_connections').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'xero', tenant_id: sandbox.tenantId, status: 'active' });
    expect(rows[0]?.access_token_encrypted).toMatch(/^v1\./);
    expect(rows[0]?.refresh_token_encrypted).toMatch(/^v1\./);
    expect(sandbox.oauth.tokenRequests.authorizationCode).toBe(1);
  });

  it('gives an approver a consent link that connects once; others and forged links are refused', async () => {
    const viewer = await test.slack.sendSlashCommand({
      userId: VIEWER,
      channelId: 'C0BILLING',
      command: '/invoice',
      text: 'connect xero',
    });
    await eventually(() => {
      expect(lastAnswerTo(viewer.responseUrl)).toContain('Only approvers');
    });
    const wrong = await test.slack.sendSlashCommand({
      userId: APPROVER,
      channelId: 'C0BILLING',
      command: '/invoice',
      text: 'connect quickbooks',
    });
    await eventually(() => {
      expect(lastAnswerTo(wrong.responseUrl)).toContain('set up for Xero');
    });

    const approver = await test.slack.sendSlashCommand({
      userId: APPROVER,
      channelId: 'C0BILLING',
      command: '/invoice',
      text: 'connect xero',
    });
    await eventually(() => {
      expect(lastAnswerTo(approver.responseUrl)).toContain('"url"');
    });
    const callbackUrl = await callbackUrlFor(lastAnswerTo(approver.responseUrl));
    const callback = await fetch(callbackUrl);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('billops now posts invoices to Xero: billops Demo Ltd');
    await eventually(() => {
      expect(
        test.slack
          .messages('C0BILLING')
          .map((message) => message.text)
          .join('\n'),
      ).toContain(`<@${APPROVER}> connected Xero (billops Demo Ltd)`);
    });
    const row = await db().selectFrom('erp_connections').selectAll().executeTakeFirstOrThrow();
    expect(row.connected_by).toBe(APPROVER);

    // The same callback again: its code is spent, nothing changes.
    const replay = await fetch(callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used or has expired');
    // A callback billops did not start.
    const forged = await fetch(`${test.app.url}/erp/callback?code=abc&state=eyJ9.AAAA`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('not made by billops');
  });

  it('alerts once with Connect when the grant is revoked; the waiting invoice is posted once after reconnecting', async () => {
    sandbox.oauth.revokeAll();
    // The stored access token is due for refresh, which Xero now refuses with invalid_grant.
    await db()
      .updateTable('erp_connections')
      .set({ access_token_expires_at: new Date(Date.now() - 60_000) })
      .execute();
    const invoice = await finalizedInvoice();

    const alert = await eventually(() => {
      const found = test.slack
        .messages('C0ALERTS')
        .find((message) => visibleText(message.blocks).includes('Xero needs connecting'));
      if (found === undefined) throw new Error('no alert yet');
      return found;
    });
    expect(visibleText(alert.blocks)).toContain('revoked or has expired');
    expect(buttonsWithActionId(alert.blocks, RECONNECT_ERP)).toHaveLength(1);
    await eventually(async () => {
      expect((await syncOf(invoice.id)).error).toMatchObject({ code: 'needs_reconnect' });
    });
    expect((await syncOf(invoice.id)).state).toBe('pending');
    expect(sandbox.invoices().filter((posted) => posted.invoiceNumber === invoice.number)).toEqual([]);

    const click = await test.slack.clickButton({
      userId: APPROVER,
      channelId: 'C0ALERTS',
      messageTs: alert.ts,
      actionId: RECONNECT_ERP,
    });
    await eventually(() => {
      expect(lastAnswerTo(click.responseUrl ?? '')).toContain('"url"');
    });
    expect((await consentThroughCallback(lastAnswerTo(click.responseUrl ?? ''))).status).toBe(200);

    await eventually(async () => {
      expect((await syncOf(invoice.id)).state).toBe('synced');
    });
    expect(sandbox.invoices().filter((posted) => posted.invoiceNumber === invoice.number)).toHaveLength(1);
    const alerts = test.slack
      .messages('C0ALERTS')
      .filter((message) => visibleText(message.blocks).includes('Xero needs connecting'));
    expect(alerts).toHaveLength(1);
  });

  it("pauses on Xero's daily limit, says so, and resumes by itself when the limit's time is up", async () => {
    sandbox.failNext(
      { kind: 'status', status: 429, headers: { 'retry-after': '3', 'x-rate-limit-problem': 'day' } },
      { method: 'PUT', resource: 'Invoices' },
    );
    const invoice = await finalizedInvoice();
    await eventually(() => {
      expect(
        test.slack
          .messages('C0ALERTS')
          .map((message) => message.text)
          .join('\n'),
      ).toContain("Xero's daily limit of API calls is used up");
    });
    const paused = await db().selectFrom('erp_connections').select('paused_until').executeTakeFirstOrThrow();
    expect(paused.paused_until).not.toBeNull();
    await eventually(async () => {
      expect((await syncOf(invoice.id)).state).toBe('synced');
    });
    expect(
      test.slack
        .messages('C0ALERTS')
        .map((message) => message.text)
        .join('\n'),
    ).toContain('Posting to Xero has resumed');
    expect(sandbox.invoices().filter((posted) => posted.invoiceNumber === invoice.number)).toHaveLength(1);
  });

  it('renews an access token Xero stopped accepting before its time, and posts without troubling anyone', async () => {
    const connection = () => db().selectFrom('erp_connections').selectAll().executeTakeFirstOrThrow();
    const before = await connection();
    // Xero refuses the stored token (401) although billops still has it down as good for a while.
    sandbox.oauth.expireAccessTokens();
    expect(before.access_token_expires_at.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
    const alertsBefore = test.slack.messages('C0ALERTS').length;

    const invoice = await finalizedInvoice();

    await eventually(async () => {
      expect((await syncOf(invoice.id)).state).toBe('synced');
    });
    expect((await syncOf(invoice.id)).error).toBeNull();
    expect(sandbox.invoices().filter((posted) => posted.invoiceNumber === invoice.number)).toHaveLength(1);
    // (This app has no mail server, so its email alerts are beside the point.)
    const erpAlerts = test.slack
      .messages('C0ALERTS')
      .slice(alertsBefore)
      .filter((message) => /xero/i.test(JSON.stringify(message)));
    expect(erpAlerts).toEqual([]);
    const after = await connection();
    expect(after.status).toBe('active');
    expect(after.access_token_encrypted).not.toBe(before.access_token_encrypted);
  });
});
