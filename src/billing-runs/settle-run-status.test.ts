import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import type { BillingRunStatus, InvoiceStatus } from '../db/schema.ts';
import { settleRunStatus } from './settle-run-status.ts';

// Issue 20: a run with nothing left to decide still said "Waiting for approval" (summary, /invoice
// status, App Home). Its status now follows its invoices.

let database: TestDatabase;
let customers = 0;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function runWith(
  status: BillingRunStatus,
  invoices: InvoiceStatus[],
): Promise<{ runId: string; ids: string[] }> {
  const run = await database.db
    .insertInto('billing_runs')
    .values({
      trigger: 'command',
      trigger_key: `key-${Math.random()}`,
      period_start: '2026-10-01',
      period_end: '2026-11-01',
      scope: {},
      status,
      started_by: 'slack:U0FINANCE',
      counts: {},
      totals: {},
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: string[] = [];
  for (const invoiceStatus of invoices) {
    customers += 1;
    const customerId = await insertCustomer(database.db, {
      external_id: `c${customers}`,
      name: `Customer ${customers}`,
    });
    const row = await database.db
      .insertInto('invoices')
      .values({ run_id: run.id, customer_id: customerId, currency: 'GBP', status: invoiceStatus })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return { runId: run.id, ids };
}

describe('settleRunStatus', () => {
  it('completes a run once none of its invoices waits, and reopens it when one comes back for review', async () => {
    const { runId, ids } = await runWith('awaiting_approval', ['approved', 'pending_approval', 'rejected']);

    expect(await settleRunStatus(database.db, runId)).toBe('awaiting_approval');
    await database.db
      .updateTable('invoices')
      .set({ status: 'approved' })
      .where('id', '=', ids[1] ?? '')
      .execute();
    expect(await settleRunStatus(database.db, runId)).toBe('completed');
    const completed = await database.db
      .selectFrom('billing_runs')
      .select('completed_at')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(completed.completed_at).not.toBeNull();

    await database.db
      .updateTable('invoices')
      .set({ status: 'pending_approval' })
      .where('id', '=', ids[2] ?? '')
      .execute();
    expect(await settleRunStatus(database.db, runId)).toBe('awaiting_approval');
  });

  it('leaves a run that is still drafting, or failed, as it is', async () => {
    const drafting = await runWith('drafting', ['approved']);
    const failed = await runWith('failed', []);

    expect(await settleRunStatus(database.db, drafting.runId)).toBe('drafting');
    expect(await settleRunStatus(database.db, failed.runId)).toBe('failed');
  });
});
