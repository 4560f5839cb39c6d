import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { describeIntakeOutcome } from './describe-intake-outcome.ts';
import { fixturePath, testCatalog } from './fixtures/catalog.ts';
import { CUSTOMER_COLUMNS } from './customer-row-schema.ts';
import { importCustomers } from './import-customers.ts';
import { readIntakeFile } from './read-intake-file.ts';

async function readCustomers(name: string) {
  return readIntakeFile(fixturePath(name), { kind: 'customers', columns: CUSTOMER_COLUMNS });
}

describe('importCustomers', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  const storedCustomers = () =>
    database.db
      .selectFrom('customers')
      .select([
        'external_id',
        'name',
        'email_to',
        'email_cc',
        'currency',
        'payment_terms',
        'tax_profile',
        'tax_id',
        'billing_address',
        'timezone',
        'hold_for_review',
        'updated_at',
      ])
      .orderBy('external_id')
      .execute();

  it.each(['customers.csv', 'customers.json'])(
    'creates the customers in %s with every field',
    async (name) => {
      const file = await readCustomers(name);
      const outcome = await importCustomers(database.db, file.rows, {
        catalog: testCatalog,
        rowLabel: file.rowLabel,
      });
      expect(outcome).toEqual({
        code: 'imported',
        rows: 3,
        counts: { created: 3, updated: 0, unchanged: 0 },
        skippedRows: 0,
        skipped: [],
      });
      const [acme, globex, initech] = await storedCustomers();
      expect(acme).toMatchObject({
        external_id: 'acme',
        name: 'Acme GmbH',
        email_to: ['billing@acme.example', 'cfo@acme.example'],
        email_cc: [],
        currency: 'EUR',
        payment_terms: 'net_30',
        tax_profile: 'de_standard',
        tax_id: 'DE123456789',
        billing_address: {
          line1: 'Hauptstraße 1',
          line2: 'Hinterhaus',
          city: 'Berlin',
          region: null,
          postal_code: '10115',
          country: 'DE',
        },
        timezone: 'Europe/Berlin',
        hold_for_review: false,
      });
      expect(globex).toMatchObject({
        name: 'Globex, Inc.',
        email_to: [],
        email_cc: ['ap@globex.example'],
        currency: 'USD',
        payment_terms: null,
        billing_address: { line2: 'Suite 5', region: 'IL', country: 'US' },
        timezone: 'UTC',
        hold_for_review: true,
      });
      expect(initech).toMatchObject({
        email_to: [],
        tax_profile: null,
        timezone: 'UTC',
        hold_for_review: false,
      });
    },
  );

  it('changes nothing when the same file is imported again, and CSV and JSON agree', async () => {
    const csv = await readCustomers('customers.csv');
    await importCustomers(database.db, csv.rows, { catalog: testCatalog });
    const before = await storedCustomers();

    const again = await importCustomers(database.db, csv.rows, { catalog: testCatalog });
    expect(again).toMatchObject({ code: 'imported', counts: { created: 0, updated: 0, unchanged: 3 } });
    const json = await readCustomers('customers.json');
    const fromJson = await importCustomers(database.db, json.rows, { catalog: testCatalog });
    expect(fromJson).toMatchObject({ code: 'imported', counts: { created: 0, updated: 0, unchanged: 3 } });
    expect(await storedCustomers()).toEqual(before);
  });

  it('updates a customer whose row changed, clearing fields left empty', async () => {
    const file = await readCustomers('customers.csv');
    await importCustomers(database.db, file.rows, { catalog: testCatalog });
    const changed = [
      {
        row: 2,
        data: { external_id: 'acme', name: 'Acme SE', currency: 'EUR', email_to: 'ap@acme.example' },
      },
    ];
    const outcome = await importCustomers(database.db, changed, { catalog: testCatalog });
    expect(outcome).toMatchObject({ counts: { created: 0, updated: 1, unchanged: 0 } });
    const acme = (await storedCustomers())[0];
    expect(acme).toMatchObject({
      name: 'Acme SE',
      email_to: ['ap@acme.example'],
      payment_terms: null,
      tax_id: null,
      timezone: 'UTC',
      billing_address: { line1: null, city: null, country: null },
    });
  });

  it('records a customer who opted out of payment reminders, and opts them back in', async () => {
    const row = { external_id: 'quiet', name: 'Quiet Ltd', currency: 'EUR', reminders_opt_out: 'yes' };
    await importCustomers(database.db, [{ row: 2, data: row }], { catalog: testCatalog });
    const optOut = () =>
      database.db
        .selectFrom('customers')
        .select('reminders_opt_out')
        .where('external_id', '=', 'quiet')
        .executeTakeFirstOrThrow();
    expect(await optOut()).toEqual({ reminders_opt_out: true });

    const outcome = await importCustomers(
      database.db,
      [{ row: 2, data: { ...row, reminders_opt_out: '' } }],
      { catalog: testCatalog },
    );
    expect(outcome).toMatchObject({ counts: { created: 0, updated: 1, unchanged: 0 } });
    expect(await optOut()).toEqual({ reminders_opt_out: false });
  });

  it('imports nothing when a row is invalid, and names each bad row by line, field and reason', async () => {
    const file = await readCustomers('customers-invalid.csv');
    const outcome = await importCustomers(database.db, file.rows, { catalog: testCatalog });
    expect(outcome).toEqual({
      code: 'invalid_rows',
      rows: 6,
      invalidRows: 4,
      problems: [
        {
          row: 3,
          field: 'email_to',
          message:
            'expected email addresses such as billing@example.com, separated by ";", got "not-an-email"',
        },
        { row: 4, field: 'currency', message: 'expected a currency from billing.yml (EUR, USD), got "GBP"' },
        {
          row: 4,
          field: 'payment_terms',
          message: 'expected payment terms from billing.yml (net_14, net_30), got "net_90"',
        },
        {
          row: 5,
          field: 'country',
          message: 'expected an ISO 3166 two-letter country code such as DE or US, got "Germany"',
        },
        {
          row: 5,
          field: 'timezone',
          message: 'expected an IANA time zone such as Europe/Berlin or UTC, got "Mars/Olympus"',
        },
        {
          row: 5,
          field: 'hold_for_review',
          message: 'expected true or false (also yes/no, 1/0), got "maybe"',
        },
        { row: 6, field: 'external_id', message: "expected the customer's id in your system, got nothing" },
      ],
    });
    expect(await storedCustomers()).toEqual([]);
    expect(describeIntakeOutcome(outcome, { rowLabel: file.rowLabel }).split('\n').slice(0, 2)).toEqual([
      '4 of 6 rows are invalid; nothing was imported. Fix them, or pass --skip-invalid to import the 2 valid rows.',
      '  row 3, email_to: expected email addresses such as billing@example.com, separated by ";", got "not-an-email"',
    ]);
  });

  it('refuses a name with a line break and an address with a control character, importing nothing', async () => {
    const outcome = await importCustomers(
      database.db,
      [
        { row: 2, data: { external_id: 'acme', name: 'Acme', currency: 'EUR' } },
        { row: 3, data: { external_id: 'evil', name: 'Evil\r\nBcc: all@example.com', currency: 'EUR' } },
        {
          row: 4,
          data: { external_id: 'nul', name: 'Nul', currency: 'EUR', address_line1: 'Main St\u0000 1' },
        },
      ],
      { catalog: testCatalog },
    );
    expect(outcome).toMatchObject({
      code: 'invalid_rows',
      invalidRows: 2,
      problems: [
        {
          row: 3,
          field: 'name',
          message:
            'expected the customer name, got "Evil\\r\\nBcc: all@example.com", which contains a line break (CR) at character 5; it must be one line of plain text, so remove it (often a line break typed inside a spreadsheet cell)',
        },
        {
          row: 4,
          field: 'address_line1',
          message: expect.stringMatching(/contains a NUL character at character 8/) as unknown,
        },
      ],
    });
    expect(await storedCustomers()).toEqual([]);
  });

  it('with skipInvalid imports the valid rows and lists the skipped ones', async () => {
    const file = await readCustomers('customers-invalid.csv');
    const outcome = await importCustomers(database.db, file.rows, {
      catalog: testCatalog,
      skipInvalid: true,
    });
    expect(outcome).toMatchObject({
      code: 'imported',
      rows: 6,
      counts: { created: 2, updated: 0, unchanged: 0 },
      skippedRows: 4,
    });
    expect(outcome.code === 'imported' && outcome.skipped.map(({ row }) => row)).toEqual([
      3, 4, 4, 5, 5, 5, 6,
    ]);
    expect((await storedCustomers()).map(({ external_id }) => external_id)).toEqual(['acme', 'umbrella']);
  });

  it('refuses the same external_id twice in one file, naming both rows', async () => {
    const rows = [
      { row: 1, data: { external_id: 'acme', name: 'Acme', currency: 'EUR' } },
      { row: 2, data: { external_id: 'globex', name: 'Globex', currency: 'EUR' } },
      { row: 3, data: { external_id: 'acme', name: 'Acme Two', currency: 'USD' } },
    ];
    const outcome = await importCustomers(database.db, rows, {
      catalog: testCatalog,
      rowLabel: (row) => `item ${row}`,
    });
    expect(outcome).toMatchObject({
      code: 'invalid_rows',
      problems: [
        {
          row: 1,
          field: 'external_id',
          message: '"acme" also appears in item 3; each customer may appear only once in a file',
        },
        {
          row: 3,
          field: 'external_id',
          message: '"acme" also appears in item 1; each customer may appear only once in a file',
        },
      ],
    });
  });
});
