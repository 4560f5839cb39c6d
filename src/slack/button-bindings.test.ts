import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import {
  alertButtonIsOn,
  invoiceButtonIsOn,
  invoiceNoticeButtonIsOn,
  reviewPageButtonIsOn,
  runButtonIsOn,
  type ButtonSurface,
} from './button-bindings.ts';

const ALERTS = 'C0ALERTS';
const APPROVALS = 'C0APPROVALS';
const message = (channel: string, ts: string, threadTs?: string): ButtonSurface => ({
  kind: 'message',
  channel,
  ts,
  threadTs,
});

let db: TestDatabase;
let run: string;
let otherRun: string;
let held: string;
let approved: string;
let delivery: string;
let sync: string;

async function insertRun(summaryTs: string, period: string): Promise<string> {
  const row = await db.db
    .insertInto('billing_runs')
    .values({
      trigger: 'command',
      trigger_key: `slack:${period}`,
      period_start: `${period}-01`,
      period_end: `${period}-28`,
      scope: {},
      started_by: 'slack:U0FINANCE',
      slack_channel_id: 'C0BILLING',
      slack_summary_ts: summaryTs,
      counts: {},
      totals: {},
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function insertInvoice(runId: string, status: 'pending_approval' | 'approved', cardTs: string) {
  const customer = await insertCustomer(db.db);
  const row = await db.db
    .insertInto('invoices')
    .values({
      customer_id: customer,
      run_id: runId,
      currency: 'GBP',
      status,
      total: '10.00',
      slack_channel_id: APPROVALS,
      slack_card_ts: cardTs,
      slack_thread_ts: cardTs,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  run = await insertRun('100.000001', '2026-10');
  otherRun = await insertRun('100.000002', '2026-09');
  held = await insertInvoice(run, 'pending_approval', '200.000001');
  approved = await insertInvoice(otherRun, 'approved', '200.000002');
  delivery = (
    await db.db
      .insertInto('deliveries')
      .values({
        invoice_id: approved,
        dedupe_key: `invoice:${approved}`,
        recipients: ['a@example.com'],
        message_id: '<x@example.com>',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  sync = (
    await db.db
      .insertInto('erp_syncs')
      .values({ invoice_id: approved, provider: 'xero', idempotency_key: randomUUID() })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await db.close();
});

describe('invoice buttons', () => {
  it('belong to the invoice’s own card, and to no other message', async () => {
    expect(await invoiceButtonIsOn(db.db, held, message(APPROVALS, '200.000001'))).toBe(true);
    expect(await invoiceButtonIsOn(db.db, held, message(APPROVALS, '200.000002'))).toBe(false);
    expect(await invoiceButtonIsOn(db.db, held, message('C0OTHER', '200.000001'))).toBe(false);
  });

  it('belong to a review page of the invoice’s own run', async () => {
    expect(await invoiceButtonIsOn(db.db, held, { kind: 'review_modal', runId: run })).toBe(true);
    expect(await invoiceButtonIsOn(db.db, held, { kind: 'review_modal', runId: otherRun })).toBe(false);
  });

  it('belong on App Home only while the invoice waits for approval', async () => {
    expect(await invoiceButtonIsOn(db.db, held, { kind: 'home' })).toBe(true);
    expect(await invoiceButtonIsOn(db.db, approved, { kind: 'home' })).toBe(false);
  });

  it('belong to no ephemeral or unknown modal, and to no invoice that does not exist', async () => {
    expect(await invoiceButtonIsOn(db.db, held, { kind: 'other' })).toBe(false);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await invoiceButtonIsOn(db.db, missing, message(APPROVALS, '200.000001'))).toBe(false);
  });
});

describe('run buttons', () => {
  it('belong to the run’s own summary only', async () => {
    expect(await runButtonIsOn(db.db, run, message('C0BILLING', '100.000001'))).toBe(true);
    expect(await runButtonIsOn(db.db, run, message('C0BILLING', '100.000002'))).toBe(false);
    expect(await runButtonIsOn(db.db, run, message(APPROVALS, '200.000001'))).toBe(false);
    expect(await runButtonIsOn(db.db, run, { kind: 'review_modal', runId: run })).toBe(false);
  });

  it('page only the review modal of the same run', () => {
    expect(reviewPageButtonIsOn(run, { kind: 'review_modal', runId: run })).toBe(true);
    expect(reviewPageButtonIsOn(run, { kind: 'review_modal', runId: otherRun })).toBe(false);
    expect(reviewPageButtonIsOn(run, message('C0BILLING', '100.000001'))).toBe(false);
  });
});

describe('notice buttons', () => {
  it('belong to the invoice’s thread or the top of the alerts channel', async () => {
    for (const notice of [
      { table: 'deliveries' as const, id: delivery },
      { table: 'erp_syncs' as const, id: sync },
    ]) {
      const isOn = (surface: ButtonSurface) => invoiceNoticeButtonIsOn(db.db, ALERTS, notice, surface);
      expect(await isOn(message(APPROVALS, '300.000001', '200.000002'))).toBe(true);
      expect(await isOn(message(ALERTS, '300.000002'))).toBe(true);
      // Another invoice's thread, a thread in alerts, or another channel: not where it was posted.
      expect(await isOn(message(APPROVALS, '300.000003', '200.000001'))).toBe(false);
      expect(await isOn(message(ALERTS, '300.000004', '300.000002'))).toBe(false);
      expect(await isOn(message('C0BILLING', '300.000005'))).toBe(false);
      expect(await isOn({ kind: 'home' })).toBe(false);
    }
  });

  it('of alerts-only notices belong at the top of the alerts channel', () => {
    expect(alertButtonIsOn(ALERTS, message(ALERTS, '1.1'))).toBe(true);
    expect(alertButtonIsOn(ALERTS, message(ALERTS, '1.2', '1.2'))).toBe(true);
    expect(alertButtonIsOn(ALERTS, message(ALERTS, '1.3', '1.1'))).toBe(false);
    expect(alertButtonIsOn(ALERTS, message('C0BILLING', '1.1'))).toBe(false);
  });
});
