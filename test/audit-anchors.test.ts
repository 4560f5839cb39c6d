import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readAuditAnchors } from '../src/audit/audit-anchors.ts';
import { verifyAuditLog } from '../src/audit/verify-audit-log.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import { parseBillingPeriod, type BillingPeriod } from '../src/calendar/billing-period.ts';
import { enqueueJob } from '../src/queue/enqueue-job.ts';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// The whole app anchoring its audit chain outside the database: at a run's end the head goes to the
// anchor file and the alerts channel; a chain that no longer verifies is alerted, never anchored.

let test: TestApp;
const db = () => test.app.deps.db;
const anchorFile = () => test.app.deps.config.audit.anchorFile;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });
const alertTexts = () => test.slack.messages('C0ALERTS').map((message) => message.text);

beforeAll(async () => {
  test = await startTestApp({ AUDIT_KEY: '7a'.repeat(32) });
  const customer = await insertCustomer(db(), { external_id: 'acme' });
  await insertSubscription(db(), customer, { plan_code: 'starter' });
  await insertUsage(db(), customer, 'api_calls', '25000', '2026-10-05T10:00:00Z');
});
afterAll(async () => {
  await test.stop();
});

describe('audit anchors', () => {
  it("anchors the chain's head in the file and the alerts channel when a run ends", async () => {
    const result = await startBillingRun(test.app.deps, {
      period: parseBillingPeriod('2026-10') as BillingPeriod,
      scope: { customers: 'all' },
      trigger: 'api',
      startedBy: 'api:test',
    });
    expect(result.ok).toBe(true);
    const head = await db()
      .selectFrom('audit_log')
      .select(['seq', 'hash', 'hash_version', 'action'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(head).toMatchObject({ action: 'billing_run.drafted', hash_version: 2 });

    const anchors = await eventually(async () => {
      const written = await readAuditAnchors(anchorFile());
      expect(written.map((anchor) => anchor.seq)).toContain(head.seq);
      return written;
    });
    expect(anchors.at(-1)).toMatchObject({
      seq: head.seq,
      hash: head.hash,
      keyedFrom: '1',
      reason: 'run_end',
    });
    await eventually(() => {
      expect(alertTexts()).toContainEqual(
        expect.stringContaining(`Audit log anchor: entry ${head.seq}, hash ${head.hash}`),
      );
    });
    expect(await verifyAuditLog(db(), { anchors })).toMatchObject({ ok: true, anchors: anchors.length });
  });

  it('alerts the first entry that differs, and anchors nothing, once the chain was tampered with', async () => {
    const before = await readFile(anchorFile(), 'utf8');
    await db()
      .connection()
      .execute(async (connection) => {
        await sql`set session_replication_role = replica`.execute(connection);
        await sql`delete from audit_log where seq = (select max(seq) from audit_log)`.execute(connection);
        await sql`set session_replication_role = origin`.execute(connection);
      });
    await db()
      .transaction()
      .execute((trx) => enqueueJob(trx, 'anchor_audit_log', { reason: 'daily' }, { maxAttempts: 1 }));
    await eventually(() => {
      const alert = alertTexts().find((text) => text.includes('Audit log tampered'));
      expect(alert).toContain('was anchored on');
      expect(alert).toMatch(/entry \d+: removed/);
    });
    expect(await readFile(anchorFile(), 'utf8')).toBe(before);
  });
});
