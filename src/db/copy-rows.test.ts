import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { copyRows } from './copy-rows.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.deleteFrom('customers').execute();
});

const COLUMNS = ['external_id', 'name', 'currency', 'tax_id', 'hold_for_review', 'billing_address'] as const;

function customer(
  external_id: string,
  name: string,
  more: { tax_id?: string; hold_for_review?: boolean; billing_address?: object } = {},
) {
  return {
    external_id,
    name,
    currency: 'GBP',
    tax_id: null,
    hold_for_review: false,
    billing_address: {},
    ...more,
  };
}

function customersNamed() {
  return database.db
    .selectFrom('customers')
    .select(['external_id', 'name', 'tax_id', 'hold_for_review', 'billing_address'])
    .orderBy('external_id')
    .execute();
}

describe('copyRows', () => {
  it('writes text, nulls, booleans and JSON exactly, whatever characters they hold', async () => {
    const awkward = 'Tab\there, new\nline, CR\r, back\\slash, \\N, "quotes", émoji 🧾, 中文';
    const address = { line1: 'Flat 2\t"B"', line2: 'C:\\Billing\n', city: null, tags: ['a\\b', 'ü'] };
    await copyRows(database.db, 'customers', COLUMNS, [
      customer('c1', awkward, { hold_for_review: true, billing_address: address }),
      customer('c2', '\\N', { tax_id: 'GB123' }),
    ]);

    expect(await customersNamed()).toEqual([
      { external_id: 'c1', name: awkward, tax_id: null, hold_for_review: true, billing_address: address },
      { external_id: 'c2', name: '\\N', tax_id: 'GB123', hold_for_review: false, billing_address: {} },
    ]);
  });

  it('belongs to the transaction it runs in', async () => {
    await database.db
      .transaction()
      .execute(async (trx) => {
        await copyRows(trx, 'customers', COLUMNS, [customer('c1', 'One')]);
        expect(await trx.selectFrom('customers').select('external_id').execute()).toHaveLength(1);
        throw new Error('roll back');
      })
      .catch(() => undefined);

    expect(await customersNamed()).toEqual([]);
  });

  it("rejects with Postgres's error when a row breaks a constraint, and writes none of the rows", async () => {
    await copyRows(database.db, 'customers', COLUMNS, [customer('c1', 'One')]);

    const copied = copyRows(database.db, 'customers', COLUMNS, [
      customer('c2', 'Two'),
      customer('c1', 'One again'),
    ]);

    await expect(copied).rejects.toMatchObject({ code: '23505', constraint: 'customers_external_id_key' });
    expect((await customersNamed()).map((row) => row.external_id)).toEqual(['c1']);
    // The pool's connections stay usable for ordinary statements, parameters included.
    const { rows } = await sql<{ n: string }>`select ${'still fine'}::text as n`.execute(database.db);
    expect(rows).toEqual([{ n: 'still fine' }]);
  });

  it('writes a Date as its instant, and refuses a number no column should hold', async () => {
    const at = new Date('2026-03-29T00:30:00.123Z');
    await copyRows(
      database.db,
      'customers',
      ['external_id', 'name', 'currency', 'created_at'],
      [{ external_id: 'c1', name: 'One', currency: 'GBP', created_at: at }],
    );
    const row = await database.db.selectFrom('customers').select('created_at').executeTakeFirstOrThrow();
    expect(row.created_at.toISOString()).toBe(at.toISOString());

    await expect(
      copyRows(
        database.db,
        'customers',
        ['external_id', 'name', 'currency', 'hold_for_review'],
        [{ external_id: 'c2', name: 'Two', currency: 'GBP', hold_for_review: Number.NaN }],
      ),
    ).rejects.toThrow(/COPY got NaN/);
  });

  it('does nothing for no rows', async () => {
    await copyRows(database.db, 'customers', COLUMNS, []);
    expect(await customersNamed()).toEqual([]);
  });
});
