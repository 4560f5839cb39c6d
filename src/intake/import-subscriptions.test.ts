import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { CUSTOMER_COLUMNS } from './customer-row-schema.ts';
import { fixturePath, testCatalog } from './fixtures/catalog.ts';
import { importCustomers } from './import-customers.ts';
import { importSubscriptions } from './import-subscriptions.ts';
import { readIntakeFile } from './read-intake-file.ts';
import { SUBSCRIPTION_COLUMNS } from './subscription-row-schema.ts';

describe('importSubscriptions', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
    const customers = await readIntakeFile(fixturePath('customers.csv'), {
      kind: 'customers',
      columns: CUSTOMER_COLUMNS,
    });
    await importCustomers(database.db, customers.rows, { catalog: testCatalog });
  });
  afterEach(async () => {
    await database.close();
  });

  const readSubscriptions = (name: string) =>
    readIntakeFile(fixturePath(name), { kind: 'subscriptions', columns: SUBSCRIPTION_COLUMNS });

  const storedSubscriptions = () =>
    database.db
      .selectFrom('subscriptions as s')
      .innerJoin('customers as c', 'c.id', 's.customer_id')
      .select([
        's.external_id',
        'c.external_id as customer',
        's.plan_code',
        's.starts_on',
        's.ends_on',
        's.discount_percent',
        's.discount_amount',
        's.prorate',
      ])
      .orderBy('s.external_id')
      .execute();

  it.each(['subscriptions.csv', 'subscriptions.json'])('creates the subscriptions in %s', async (name) => {
    const file = await readSubscriptions(name);
    const outcome = await importSubscriptions(database.db, file.rows, { catalog: testCatalog });
    expect(outcome).toMatchObject({
      code: 'imported',
      rows: 2,
      counts: { created: 2, updated: 0, unchanged: 0 },
    });
    expect(await storedSubscriptions()).toEqual([
      {
        external_id: 'sub_acme',
        customer: 'acme',
        plan_code: 'pro',
        starts_on: '2026-01-01',
        ends_on: null,
        discount_percent: '10',
        discount_amount: null,
        prorate: true,
      },
      {
        external_id: 'sub_globex',
        customer: 'globex',
        plan_code: 'basic',
        starts_on: '2026-02-15',
        ends_on: '2027-02-15',
        discount_percent: null,
        discount_amount: '50',
        prorate: false,
      },
    ]);
  });

  it('changes nothing when imported twice, from CSV then JSON', async () => {
    const csv = await readSubscriptions('subscriptions.csv');
    await importSubscriptions(database.db, csv.rows, { catalog: testCatalog });
    const before = await storedSubscriptions();
    const json = await readSubscriptions('subscriptions.json');
    const outcome = await importSubscriptions(database.db, json.rows, { catalog: testCatalog });
    expect(outcome).toMatchObject({ counts: { created: 0, updated: 0, unchanged: 2 } });
    expect(await storedSubscriptions()).toEqual(before);
    expect(await database.db.selectFrom('subscriptions').select('id').execute()).toHaveLength(2);
  });

  it('updates a subscription whose plan or dates changed', async () => {
    const csv = await readSubscriptions('subscriptions.csv');
    await importSubscriptions(database.db, csv.rows, { catalog: testCatalog });
    const outcome = await importSubscriptions(
      database.db,
      [
        {
          row: 2,
          data: {
            external_id: 'sub_acme',
            customer: 'acme',
            plan: 'basic',
            starts_on: '2026-01-01',
            ends_on: '2026-07-01',
            discount_percent: '10.00',
          },
        },
      ],
      { catalog: testCatalog },
    );
    expect(outcome).toMatchObject({ counts: { created: 0, updated: 1, unchanged: 0 } });
    expect((await storedSubscriptions())[0]).toMatchObject({ plan_code: 'basic', ends_on: '2026-07-01' });
  });

  it('refuses a customer that does not exist and the same subscription twice, importing nothing', async () => {
    const rows = [
      { row: 2, data: { external_id: 'sub_1', customer: 'nobody', plan: 'pro', starts_on: '2026-01-01' } },
      { row: 3, data: { external_id: 'sub_2', customer: 'acme', plan: 'pro', starts_on: '2026-01-01' } },
      { row: 4, data: { external_id: 'sub_2', customer: 'acme', plan: 'basic', starts_on: '2026-01-01' } },
      { row: 5, data: { external_id: 'sub_3', customer: 'acme', plan: 'pro', starts_on: '2026-01-01' } },
    ];
    const outcome = await importSubscriptions(database.db, rows, { catalog: testCatalog });
    expect(outcome).toEqual({
      code: 'invalid_rows',
      rows: 4,
      invalidRows: 3,
      problems: [
        {
          row: 2,
          field: 'customer',
          message:
            'expected the external id of an existing customer (import customers first), got "nobody", which no customer has',
        },
        {
          row: 3,
          field: 'external_id',
          message: '"sub_2" also appears in row 4; each subscription may appear only once in a file',
        },
        {
          row: 4,
          field: 'external_id',
          message: '"sub_2" also appears in row 3; each subscription may appear only once in a file',
        },
      ],
    });
    expect(await storedSubscriptions()).toEqual([]);

    const skipping = await importSubscriptions(database.db, rows, {
      catalog: testCatalog,
      skipInvalid: true,
    });
    expect(skipping).toMatchObject({ code: 'imported', counts: { created: 1 }, skippedRows: 3 });
    expect((await storedSubscriptions()).map(({ external_id }) => external_id)).toEqual(['sub_3']);
  });

  it('refuses a JPY discount_amount of 10.5 and a discount_percent of 150, importing nothing', async () => {
    const catalog = {
      ...testCatalog,
      planCodes: new Set([...testCatalog.planCodes, 'yen']),
      planCurrencies: new Map([...testCatalog.planCurrencies, ['yen', 'JPY']]),
    };
    const rows = [
      { row: 2, data: { external_id: 'sub_1', customer: 'acme', plan: 'pro', starts_on: '2026-01-01' } },
      {
        row: 3,
        data: {
          external_id: 'sub_2',
          customer: 'acme',
          plan: 'yen',
          starts_on: '2026-01-01',
          discount_amount: '10.5',
        },
      },
      {
        row: 4,
        data: {
          external_id: 'sub_3',
          customer: 'acme',
          plan: 'pro',
          starts_on: '2026-01-01',
          discount_percent: '150',
        },
      },
    ];
    const outcome = await importSubscriptions(database.db, rows, { catalog });
    expect(outcome).toEqual({
      code: 'invalid_rows',
      rows: 3,
      invalidRows: 2,
      problems: [
        {
          row: 3,
          field: 'discount_amount',
          message:
            'expected an amount in JPY (plan yen\'s currency), got "10.5", which has 1 decimal place, but JPY amounts have none (its minor unit); write a whole number of minor units, such as 11',
        },
        {
          row: 4,
          field: 'discount_percent',
          message: 'expected a percentage from 0 to 100 such as 12.5, got "150"',
        },
      ],
    });
    expect(await storedSubscriptions()).toEqual([]);
  });
});
