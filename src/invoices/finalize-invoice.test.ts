import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer } from '../../test/support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { fixedClock, testDeps } from '../../test/support/test-deps.ts';
import type { Deps } from '../ports/deps.ts';
import { finalizeInvoice } from './finalize-invoice.ts';
import { allocateInvoiceNumber, formatInvoiceNumber } from './invoice-number.ts';

let database: TestDatabase;
let deps: Deps;
let customerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database, { clock: fixedClock('2026-11-21T10:00:00Z') });
  customerId = await insertCustomer(database.db, { external_id: 'acme' });
});
afterAll(async () => {
  await database.close();
});

async function approvedInvoices(count: number): Promise<string[]> {
  const rows = await database.db
    .insertInto('invoices')
    .values(
      Array.from({ length: count }, () => ({
        customer_id: customerId,
        currency: 'GBP',
        status: 'approved' as const,
        subtotal: '100.00',
        tax_total: '20.00',
        total: '120.00',
        issue_date: '2026-11-03',
        due_date: '2026-12-03',
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

describe('formatInvoiceNumber', () => {
  it.each([
    ['INV-{YYYY}-{seq:5}', '2026-11-21', 42, 'INV-2026-00042'],
    ['{YY}{MM}-{seq}', '2026-01-05', 7, '2601-7'],
    ['F{seq:3}', '2026-01-05', 12345, 'F12345'],
  ])('%s on %s for %i is %s', (pattern, date, seq, expected) => {
    expect(formatInvoiceNumber(pattern, date, seq)).toBe(expected);
  });
});

describe('finalizeInvoice', () => {
  it('gives 200 concurrent finalizations consecutive numbers with no gap and no duplicate', async () => {
    const ids = await approvedInvoices(200);
    const results = await Promise.all(ids.map((id) => finalizeInvoice(deps, id)));
    const numbers = results.map((result) => (result.code === 'finalized' ? result.number : 'missing'));
    const expected = Array.from(
      { length: 200 },
      (_, index) => `INV-2026-${String(index + 1).padStart(5, '0')}`,
    );
    expect([...numbers].sort()).toEqual(expected);
    const rows = await database.db
      .selectFrom('invoices')
      .select(['status', 'issue_date', 'due_date'])
      .where('id', 'in', ids)
      .execute();
    expect(new Set(rows.map((row) => `${row.status} ${row.issue_date} ${row.due_date}`))).toEqual(
      new Set(['finalized 2026-11-21 2026-12-21']),
    );
  });

  it('leaves no gap when the finalizing transaction fails', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await allocateInvoiceNumber(trx, 'INV', 2026);
        throw new Error('crash inside the transaction');
      }),
    ).rejects.toThrow('crash inside the transaction');
    const [id] = await approvedInvoices(1);
    const result = await finalizeInvoice(deps, id ?? '');
    expect(result).toMatchObject({ code: 'finalized', number: 'INV-2026-00201' });
  });

  it('finalizes once, queues the email with a delivery row, and refuses what is not approved', async () => {
    const [id = ''] = await approvedInvoices(1);
    const first = await finalizeInvoice(deps, id);
    expect(first.code).toBe('finalized');
    expect(await finalizeInvoice(deps, id)).toEqual({
      code: 'already_finalized',
      number: first.code === 'finalized' ? first.number : '',
    });
    const delivery = await database.db
      .selectFrom('deliveries')
      .selectAll()
      .where('invoice_id', '=', id)
      .execute();
    expect(delivery.map((row) => [row.state, row.recipients, row.message_id])).toEqual([
      ['queued', ['billing@acme.example'], `<invoice-${id}@example.com>`],
    ]);
    const draft = await database.db
      .insertInto('invoices')
      .values({ customer_id: customerId, currency: 'GBP', status: 'pending_approval' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await finalizeInvoice(deps, draft.id)).toEqual({
      code: 'not_approved',
      status: 'pending_approval',
    });
  });
});

describe('a finalized invoice', () => {
  it('cannot change its amounts, dates, number or lines, and cannot be deleted; its status can move on', async () => {
    const [id = ''] = await approvedInvoices(1);
    await database.db
      .insertInto('invoice_lines')
      .values({
        invoice_id: id,
        position: 0,
        description: 'Fee',
        quantity: '1',
        unit_amount: '100',
        amount: '100.00',
      })
      .execute();
    await finalizeInvoice(deps, id);
    const refused = /is finalized/;
    await expect(
      database.db.updateTable('invoices').set({ total: '1.00' }).where('id', '=', id).execute(),
    ).rejects.toThrow(refused);
    await expect(
      database.db.updateTable('invoices').set({ due_date: '2027-01-01' }).where('id', '=', id).execute(),
    ).rejects.toThrow(refused);
    await expect(
      database.db.updateTable('invoices').set({ number: 'INV-X' }).where('id', '=', id).execute(),
    ).rejects.toThrow(refused);
    await expect(
      database.db.updateTable('invoice_lines').set({ amount: '1.00' }).where('invoice_id', '=', id).execute(),
    ).rejects.toThrow(refused);
    await expect(
      database.db.deleteFrom('invoice_lines').where('invoice_id', '=', id).execute(),
    ).rejects.toThrow(refused);
    await expect(
      database.db
        .insertInto('invoice_lines')
        .values({
          invoice_id: id,
          position: 1,
          description: 'Extra',
          quantity: '1',
          unit_amount: '5',
          amount: '5.00',
        })
        .execute(),
    ).rejects.toThrow(refused);
    await expect(sql`delete from invoices where id = ${id}`.execute(database.db)).rejects.toThrow(
      /cannot be deleted/,
    );
    await database.db
      .updateTable('invoices')
      .set({ status: 'paid', amount_paid: '120.00' })
      .where('id', '=', id)
      .execute();
    const row = await database.db
      .selectFrom('invoices')
      .select(['status', 'total'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'paid', total: '120.00' });
  });
});
