import { sql, type Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import type { InvoicesTable } from './schema.ts';

// The database itself refuses data that would break billing rules, whatever code writes it.

describe('schema constraints', () => {
  let database: TestDatabase;
  let customerId: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    const customer = await database.db
      .insertInto('customers')
      .values({ external_id: 'cus_1', name: 'Zoë Ltd', currency: 'EUR', email_to: ['ap@zoe.example'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    customerId = customer.id;
  });
  afterAll(async () => {
    await database.close();
  });

  const insertInvoice = (values: Partial<Insertable<InvoicesTable>>) =>
    database.db
      .insertInto('invoices')
      .values({ customer_id: customerId, currency: 'EUR', ...values })
      .execute();

  it('keeps money exact: numeric amounts come back as the same decimal strings', async () => {
    const invoice = await database.db
      .insertInto('invoices')
      .values({ customer_id: customerId, currency: 'EUR', subtotal: '0.10', total: '1234567890123.4567' })
      .returning(['subtotal', 'total'])
      .executeTakeFirstOrThrow();
    expect(invoice).toEqual({ subtotal: '0.10', total: '1234567890123.4567' });
  });

  it('returns dates as plain YYYY-MM-DD strings', async () => {
    const invoice = await database.db
      .insertInto('invoices')
      .values({ customer_id: customerId, currency: 'EUR', issue_date: '2026-02-28', due_date: '2026-03-30' })
      .returning(['issue_date', 'due_date'])
      .executeTakeFirstOrThrow();
    expect(invoice).toEqual({ issue_date: '2026-02-28', due_date: '2026-03-30' });
  });

  it('refuses an unknown invoice status', async () => {
    await expect(
      sql`insert into invoices (customer_id, currency, status, number, finalized_at)
           values (${customerId}, 'EUR', 'sent_maybe', 'INV-X', now())`.execute(database.db),
    ).rejects.toThrow(/invoices_status_check/);
  });

  it('refuses a number on a draft and a finalized invoice without one', async () => {
    await expect(insertInvoice({ number: 'INV-2026-00001', finalized_at: new Date() })).rejects.toThrow(
      /invoices_number_once_finalized/,
    );
    await expect(insertInvoice({ status: 'finalized' })).rejects.toThrow(/invoices_number_once_finalized/);
  });

  it('refuses a due date before the issue date', async () => {
    await expect(insertInvoice({ issue_date: '2026-11-01', due_date: '2026-10-31' })).rejects.toThrow(
      /invoices_due_after_issue/,
    );
  });

  it('refuses a second draft for the same customer in the same run', async () => {
    const run = await database.db
      .insertInto('billing_runs')
      .values({
        trigger: 'command',
        trigger_key: 'command:U1',
        period_start: '2026-10-01',
        period_end: '2026-11-01',
        started_by: 'U1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertInvoice({ run_id: run.id });
    await expect(insertInvoice({ run_id: run.id })).rejects.toThrow(/invoices_run_id_customer_id_key/);
  });

  it('refuses a second run for the same trigger and period', async () => {
    const run = {
      trigger: 'schedule' as const,
      trigger_key: 'schedule:monthly',
      period_start: '2026-10-01',
      period_end: '2026-11-01',
      started_by: 'system:schedule',
    };
    await database.db.insertInto('billing_runs').values(run).execute();
    await expect(database.db.insertInto('billing_runs').values(run).execute()).rejects.toThrow(
      /billing_runs_trigger_key_period_start_period_end_key/,
    );
  });

  it('stores a usage event once: a repeated event id is refused', async () => {
    const event = {
      event_id: 'evt_1',
      customer_id: customerId,
      metric: 'api_calls',
      quantity: '10',
      occurred_at: '2026-10-05T10:00:00Z',
      source: 'api',
    };
    await database.db.insertInto('usage_records').values(event).execute();
    await expect(database.db.insertInto('usage_records').values(event).execute()).rejects.toThrow(
      /usage_records_event_id_key/,
    );
  });

  it('requires a reason for a rejection', async () => {
    const invoice = await database.db
      .insertInto('invoices')
      .values({ customer_id: customerId, currency: 'EUR' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      database.db
        .insertInto('approvals')
        .values({
          invoice_id: invoice.id,
          decision: 'rejected',
          slack_user_id: 'U1',
          reason: '  ',
          invoice_version: 1,
        })
        .execute(),
    ).rejects.toThrow(/approvals_check/);
  });

  it('allows one ERP sync per invoice and provider', async () => {
    const invoice = await database.db
      .insertInto('invoices')
      .values({ customer_id: customerId, currency: 'EUR' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('erp_syncs')
      .values({ invoice_id: invoice.id, provider: 'xero', idempotency_key: 'k1' })
      .execute();
    await expect(
      database.db
        .insertInto('erp_syncs')
        .values({ invoice_id: invoice.id, provider: 'xero', idempotency_key: 'k2' })
        .execute(),
    ).rejects.toThrow(/erp_syncs_invoice_id_provider_key/);
  });
});
