import { NO_MIGRATIONS, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { applied, createMigrator, migrateToLatest } from './migrate.ts';

async function tableNames(database: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(
    database.db,
  );
  return rows.map((row) => row.table_name);
}

const ARCHITECTURE_TABLES = [
  'approvals',
  'audit_log',
  'billing_runs',
  'credit_notes',
  'customers',
  'deliveries',
  'erp_connections',
  'erp_credit_note_syncs',
  'erp_events',
  'erp_syncs',
  'invoice_lines',
  'invoice_number_series',
  'invoices',
  'payments',
  'processed_events',
  'slack_channel_problems',
  'subscriptions',
  'usage_records',
  'worker_heartbeats',
];

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await database.close();
  });

  it('create every table of the architecture, then remove them all going down, then come back up', async () => {
    const up = await migrateToLatest(database.db);
    expect(up.length).toBeGreaterThanOrEqual(3);
    expect(await tableNames(database)).toEqual(ARCHITECTURE_TABLES);

    const down = applied(await createMigrator(database.db).migrateTo(NO_MIGRATIONS));
    expect(down).toEqual([...up].reverse());
    expect(await tableNames(database)).toEqual([]);

    expect(await migrateToLatest(database.db)).toEqual(up);
    expect(await migrateToLatest(database.db)).toEqual([]);
  });
});
