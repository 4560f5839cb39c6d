import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { CUSTOMER_COLUMNS } from './customer-row-schema.ts';
import { describeIntakeOutcome } from './describe-intake-outcome.ts';
import { fixturePath, testCatalog } from './fixtures/catalog.ts';
import { importCustomers } from './import-customers.ts';
import { IntakeFileError } from './intake-rows.ts';
import { readIntakeFile } from './read-intake-file.ts';
import { recordUsage } from './record-usage.ts';
import { USAGE_COLUMNS } from './usage-event-schema.ts';

const readUsage = (filePath: string) => readIntakeFile(filePath, { kind: 'usage', columns: USAGE_COLUMNS });

const event = (eventId: string, overrides: Record<string, unknown> = {}) => ({
  event_id: eventId,
  customer: 'acme',
  metric: 'api_calls',
  quantity: '5',
  occurred_at: '2026-11-01T09:30:00Z',
  ...overrides,
});

describe('recordUsage', () => {
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

  const storedUsage = () =>
    database.db
      .selectFrom('usage_records as u')
      .innerJoin('customers as c', 'c.id', 'u.customer_id')
      .select([
        'u.event_id',
        'c.external_id as customer',
        'u.metric',
        'u.quantity',
        'u.occurred_at',
        'u.source',
        'u.properties',
        'u.received_at',
      ])
      .orderBy('u.event_id')
      .execute();

  it.each(['usage.csv', 'usage.json'])(
    'records the events in %s; a repeat of an event with the same data is a duplicate',
    async (name) => {
      const file = await readUsage(fixturePath(name));
      const outcome = await recordUsage(database.db, file.rows, { source: `import:${name}` });
      expect(outcome).toEqual({
        code: 'imported',
        rows: 4,
        counts: { recorded: 3, duplicates: 1 },
        skippedRows: 0,
        skipped: [],
      });
      const stored = await storedUsage();
      expect(stored.map(({ received_at: _received, ...record }) => record)).toEqual([
        {
          event_id: 'evt_1',
          customer: 'acme',
          metric: 'api_calls',
          quantity: '1200',
          occurred_at: new Date('2026-11-01T09:30:00Z'),
          source: `import:${name}`,
          properties: {},
        },
        {
          event_id: 'evt_2',
          customer: 'acme',
          metric: 'storage_gb',
          quantity: '12.5',
          occurred_at: new Date('2026-11-01T09:30:00Z'),
          source: `import:${name}`,
          properties: { region: 'eu' },
        },
        {
          event_id: 'evt_3',
          customer: 'globex',
          metric: 'api_calls',
          quantity: '-3',
          occurred_at: new Date('2026-11-02T00:00:00.123Z'),
          source: `import:${name}`,
          properties: {},
        },
      ]);
    },
  );

  it('changes nothing when the same file is recorded twice, or the same events come as JSON', async () => {
    const csv = await readUsage(fixturePath('usage.csv'));
    await recordUsage(database.db, csv.rows, { source: 'import:usage.csv' });
    const before = await storedUsage();

    const again = await recordUsage(database.db, csv.rows, { source: 'import:usage.csv' });
    expect(again).toMatchObject({ code: 'imported', counts: { recorded: 0, duplicates: 4 } });
    const json = await readUsage(fixturePath('usage.json'));
    const fromJson = await recordUsage(database.db, json.rows, { source: 'import:usage.json' });
    expect(fromJson).toMatchObject({ code: 'imported', counts: { recorded: 0, duplicates: 4 } });
    expect(await storedUsage()).toEqual(before);
  });

  it('keeps microseconds: the same instant to the microsecond is a duplicate, another is a conflict', async () => {
    await recordUsage(
      database.db,
      [{ row: 1, data: event('evt_1', { occurred_at: '2026-11-01T09:30:00.123456Z' }) }],
      {
        source: 'api',
      },
    );
    const same = await recordUsage(
      database.db,
      [{ row: 1, data: event('evt_1', { occurred_at: '2026-11-01T10:30:00.1234560+01:00' }) }],
      { source: 'api' },
    );
    expect(same).toMatchObject({ counts: { recorded: 0, duplicates: 1 } });
    const other = await recordUsage(
      database.db,
      [{ row: 1, data: event('evt_1', { occurred_at: '2026-11-01T09:30:00.123457Z' }) }],
      { source: 'api' },
    );
    expect(other).toMatchObject({
      code: 'invalid_rows',
      problems: [
        {
          field: 'event_id',
          message:
            'event "evt_1" was already recorded on 2026-11-01T09:30:00.123456Z (this row has occurred_at 2026-11-01T09:30:00.123457Z); event ids must be unique, the first record is kept',
        },
      ],
    });
  });

  it('refuses an event id already recorded with other data, and keeps the first record', async () => {
    await recordUsage(database.db, [{ row: 1, data: event('evt_9') }], { source: 'api' });
    const outcome = await recordUsage(
      database.db,
      [
        { row: 2, data: event('evt_10') },
        { row: 3, data: event('evt_9', { quantity: '7' }) },
      ],
      { source: 'import:late.csv' },
    );
    expect(outcome).toEqual({
      code: 'invalid_rows',
      rows: 2,
      invalidRows: 1,
      problems: [
        {
          row: 3,
          field: 'event_id',
          message:
            'event "evt_9" was already recorded with quantity 5 on 2026-11-01T09:30:00Z (this row has quantity 7); event ids must be unique, the first record is kept',
        },
      ],
    });
    expect((await storedUsage()).map(({ event_id, quantity }) => [event_id, quantity])).toEqual([
      ['evt_9', '5'],
    ]);
  });

  it('refuses one event id twice in a file with different data, naming both rows', async () => {
    const outcome = await recordUsage(
      database.db,
      [
        { row: 2, data: event('evt_1') },
        { row: 3, data: event('evt_1', { customer: 'globex' }) },
      ],
      { source: 'import:usage.csv' },
    );
    expect(outcome).toMatchObject({
      code: 'invalid_rows',
      problems: [
        {
          row: 2,
          field: 'event_id',
          message:
            'event "evt_1" also appears in row 3 with customer "globex" (this row has customer "acme"); event ids must be unique',
        },
        {
          row: 3,
          field: 'event_id',
          message:
            'event "evt_1" also appears in row 2 with customer "acme" (this row has customer "globex"); event ids must be unique',
        },
      ],
    });
  });

  it('imports nothing from a file with bad rows, and says which rows, fields and why', async () => {
    const file = await readUsage(fixturePath('usage-invalid.csv'));
    const outcome = await recordUsage(database.db, file.rows, { source: 'import:usage-invalid.csv' });
    expect(outcome.code).toBe('invalid_rows');
    expect(await storedUsage()).toEqual([]);
    expect(describeIntakeOutcome(outcome, { rowLabel: file.rowLabel })).toBe(
      [
        '4 of 6 rows are invalid; nothing was imported. Fix them, or pass --skip-invalid to import the 2 valid rows.',
        '  row 3, quantity: expected a decimal number such as 12.5, got "12,5"',
        '  row 4, occurred_at: expected an ISO 8601 time with a UTC offset, such as 2026-11-01T09:30:00Z or 2026-11-01T10:30:00+01:00, got "2026-11-01T09:30:00", which has no offset and is ambiguous',
        '  row 5, customer: expected the external id of an existing customer (import customers first), got "nobody", which no customer has',
        '  row 6, metric: expected a metric name of letters, digits and _ . : - (at most 100), got "api calls"',
      ].join('\n'),
    );
  });

  it('with skipInvalid records the valid rows and lists the skipped ones', async () => {
    const file = await readUsage(fixturePath('usage-invalid.csv'));
    const outcome = await recordUsage(database.db, file.rows, {
      source: 'import:usage-invalid.csv',
      skipInvalid: true,
    });
    expect(outcome).toMatchObject({
      code: 'imported',
      rows: 6,
      counts: { recorded: 2, duplicates: 0 },
      skippedRows: 4,
    });
    expect((await storedUsage()).map(({ event_id }) => event_id)).toEqual(['evt_10', 'evt_15']);
    expect(describeIntakeOutcome(outcome, { rowLabel: file.rowLabel }).split('\n').slice(0, 3)).toEqual([
      '6 rows: 2 recorded, 0 duplicates.',
      'Skipped 4 invalid rows:',
      '  row 3, quantity: expected a decimal number such as 12.5, got "12,5"',
    ]);
  });

  it('refuses a big number sent as a JSON number, and items that are not events, by item', async () => {
    const file = await readUsage(fixturePath('usage-invalid.json'));
    const outcome = await recordUsage(database.db, file.rows, { source: 'import:usage-invalid.json' });
    expect(outcome.code).toBe('invalid_rows');
    expect(describeIntakeOutcome(outcome, { rowLabel: file.rowLabel }).split('\n')).toEqual([
      '3 of 4 rows are invalid; nothing was imported. Fix them, or pass --skip-invalid to import the 1 valid row.',
      '  item 1, quantity: expected a decimal number such as 12.5, got the JSON number 12345678901234567890, which has more than 15 significant digits and loses some as a JSON number; send it as a string: "12345678901234567890"',
      '  item 3: expected an object with the usage event fields (event_id, customer, metric, quantity, occurred_at, …), got "evt_22"',
      '  item 4, colour: unknown field; expected only event_id, customer, metric, quantity, occurred_at, properties',
    ]);
    expect(await storedUsage()).toEqual([]);
  });

  it('records usage for a metric no plan prices yet', async () => {
    const outcome = await recordUsage(
      database.db,
      [{ row: 1, data: event('evt_1', { metric: 'gpu:seconds' }) }],
      {
        source: 'api',
      },
    );
    expect(outcome).toMatchObject({ code: 'imported', counts: { recorded: 1 } });
  });

  it('turns a malformed file into one error naming the file and where', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'billops-intake-'));
    try {
      const json = path.join(directory, 'broken.json');
      await writeFile(json, '[\n  { "event_id": "evt_1", }\n]');
      await expect(readUsage(json)).rejects.toThrow(
        new IntakeFileError(
          'broken.json: invalid JSON at line 2, column 26 (position 27): expected a property name in double quotes, found "}"',
        ),
      );
      const object = path.join(directory, 'object.json');
      await writeFile(object, '{ "events": [] }');
      await expect(readUsage(object)).rejects.toThrow(
        'object.json: expected a JSON array of usage rows, or an object { "usage": [ … ] }, got an object with "events"',
      );
      await expect(readUsage(fixturePath('malformed.csv'))).rejects.toThrow(
        'malformed.csv: the row starting on line 3 opens a quoted field that is never closed; add the missing "',
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('records 100,000 events in batches within seconds, and again as duplicates', async () => {
    const lines = ['event_id,customer,metric,quantity,occurred_at'];
    for (let index = 0; index < 100_000; index += 1) {
      const minute = String(index % 60).padStart(2, '0');
      lines.push(
        `evt_${index},${index % 2 === 0 ? 'acme' : 'globex'},api_calls,${index % 97}.5,2026-11-01T10:${minute}:00+01:00`,
      );
    }
    const directory = await mkdtemp(path.join(tmpdir(), 'billops-intake-'));
    try {
      const csv = path.join(directory, 'big.csv');
      await writeFile(csv, lines.join('\n'));
      const started = performance.now();
      const file = await readUsage(csv);
      const outcome = await recordUsage(database.db, file.rows, { source: 'import:big.csv' });
      const seconds = (performance.now() - started) / 1000;
      expect(outcome).toMatchObject({ code: 'imported', counts: { recorded: 100_000, duplicates: 0 } });
      expect(seconds).toBeLessThan(20);
      const again = await recordUsage(database.db, file.rows, { source: 'import:big.csv' });
      expect(again).toMatchObject({ code: 'imported', counts: { recorded: 0, duplicates: 100_000 } });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
