import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApprovedInvoice, insertCustomer } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { fixedClock, testDeps } from '../../test/support/test-deps.ts';
import type { Deps } from '../ports/deps.ts';
import { finalizeInvoice } from '../invoices/finalize-invoice.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { recordPayment, type PaymentInput } from './record-payment.ts';

// recordPayment on a real Postgres: the row lock makes simultaneous payments add up exactly, overdue
// invoices stay overdue until paid, currencies keep their minor units, ERP payments count once.

let database: TestDatabase;
let deps: Deps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database, { clock: fixedClock('2026-11-21T10:00:00Z') });
});
afterAll(async () => {
  await database.close();
});

/** A finalized invoice of 120.00 (100.00 + 20% tax) in `currency`. */
async function finalizedInvoice(currency = 'GBP'): Promise<{ id: string; number: string }> {
  const customerId = await insertCustomer(database.db, { currency });
  const id = await insertApprovedInvoice(database.db, {
    customerId,
    taxRate: 20,
    taxCode: 'OUTPUT2',
    itemCode: null,
    accountCode: '200',
  });
  if (currency !== 'GBP') {
    await database.db.updateTable('invoices').set({ currency }).where('id', '=', id).execute();
  }
  const finalized = await finalizeInvoice(deps, id);
  if (finalized.code !== 'finalized') throw new Error(finalized.code);
  return { id, number: finalized.number };
}

function payment(invoiceId: string, amount: string, extra: Partial<PaymentInput> = {}): PaymentInput {
  return {
    invoice: { id: invoiceId },
    amount,
    paidOn: '2026-11-20',
    source: 'manual',
    externalId: null,
    recordedBy: 'U0APPROVER1',
    ...extra,
  };
}

async function invoiceRow(id: string) {
  return database.db
    .selectFrom('invoices')
    .select(['status', 'total', 'amount_paid'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('recordPayment', () => {
  it('lets simultaneous payments add up to the total and refuses every one beyond it', async () => {
    const { id } = await finalizedInvoice();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => recordPayment(deps, payment(id, '20.00'))),
    );
    const codes = results.map((result) => result.code).sort();
    expect(codes.filter((code) => code === 'recorded')).toHaveLength(6);
    // The seventh finds nothing owed; later ones may see a paid invoice.
    expect(codes.every((code) => ['recorded', 'overpayment', 'not_payable'].includes(code))).toBe(true);
    expect(await invoiceRow(id)).toEqual({ status: 'paid', total: '120.00', amount_paid: '120.00' });
    const { rows } = await sql<{
      sum: string;
    }>`select sum(amount)::text as sum from payments where invoice_id = ${id}`.execute(database.db);
    expect(rows[0]?.sum).toBe('120.00');
  });

  it('keeps an overdue invoice overdue after a part payment and marks it paid once settled', async () => {
    const { id } = await finalizedInvoice();
    await database.db.updateTable('invoices').set({ status: 'overdue' }).where('id', '=', id).execute();

    expect(await recordPayment(deps, payment(id, '100'))).toMatchObject({
      code: 'recorded',
      status: 'overdue',
      outstanding: '20.00',
    });
    expect(outstandingOf(await invoiceRow(id)).toFixed(2)).toBe('20.00');
    expect(await recordPayment(deps, payment(id, '20'))).toMatchObject({ code: 'recorded', status: 'paid' });
  });

  it('keeps each currency’s minor units: yen in whole units, dinar to three decimals', async () => {
    const yen = await finalizedInvoice('JPY');
    expect(await recordPayment(deps, payment(yen.id, '50.5'))).toMatchObject({
      code: 'invalid_amount',
      message: '50.5 has more decimals than JPY has (none): give the amount exactly as received.',
    });
    expect(await recordPayment(deps, payment(yen.id, '50.00'))).toMatchObject({
      code: 'recorded',
      amount: '50',
      outstanding: '70',
    });
    const dinar = await finalizedInvoice('KWD');
    expect(await recordPayment(deps, payment(dinar.id, '0.125'))).toMatchObject({
      code: 'recorded',
      amount: '0.125',
      outstanding: '119.875',
    });
  });

  it('records an ERP payment once per invoice, however often it is reported', async () => {
    const { id } = await finalizedInvoice();
    const fromXero = payment(id, '40.00', {
      source: 'xero',
      externalId: 'b1c2d3e4-0000-4000-8000-000000000001',
      recordedBy: 'system:xero',
    });
    const first = await recordPayment(deps, fromXero);
    const again = await Promise.all([recordPayment(deps, fromXero), recordPayment(deps, fromXero)]);
    expect(first.code).toBe('recorded');
    expect(again.map((result) => result.code)).toEqual(['already_recorded', 'already_recorded']);
    expect(await invoiceRow(id)).toMatchObject({ status: 'partially_paid', amount_paid: '40.00' });
    // A date in the ERP is its own record: not held to billops' today.
    expect(
      await recordPayment(deps, { ...fromXero, externalId: 'later', paidOn: '2026-11-30' }),
    ).toMatchObject({ code: 'recorded' });
  });

  it('queues one thread post per payment, in the invoice’s own queue', async () => {
    const { id } = await finalizedInvoice();
    const recorded = await recordPayment(deps, payment(id, '10'));
    if (recorded.code !== 'recorded') throw new Error(recorded.code);
    const { rows } = await sql<{ payload: { paymentId: string }; queue_name: string | null }>`
      select j.payload, q.queue_name from graphile_worker._private_jobs j
      left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'post_payment_news'`.execute(database.db);
    expect(rows.filter((row) => row.payload.paymentId === recorded.paymentId)).toEqual([
      { payload: { paymentId: recorded.paymentId }, queue_name: `payments:${id}` },
    ]);
  });
});
