import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { recordAuditEntry } from './record-audit-entry.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

const entry = (n: number) => ({
  actor: 'U0APPROVER1',
  action: 'invoice.approved',
  subjectType: 'invoice',
  subjectId: `inv_${n}`,
  details: { total: '1250.00', currency: 'EUR', reasons: ['first_invoice'], nested: { b: 1, a: 'Zoë' } },
});

/** Changes rows the way someone with direct database access would: with triggers switched off. */
async function tamper(database: TestDatabase, statement: ReturnType<typeof sql>): Promise<void> {
  await database.db.connection().execute(async (connection) => {
    await sql`set session_replication_role = replica`.execute(connection);
    await statement.execute(connection);
    await sql`set session_replication_role = origin`.execute(connection);
  });
}

describe('audit log', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('chains each entry to the one before it and verifies', async () => {
    const first = await recordAuditEntry(database.db, entry(1));
    const second = await recordAuditEntry(database.db, entry(2));
    expect(first.seq).toBe('1');
    expect(second.seq).toBe('2');
    expect(second.prev_hash).toBe(first.hash);
    expect(await verifyAuditLog(database.db)).toMatchObject({ ok: true, entries: 2, keyedFrom: null });
  });

  it('keeps one unbroken chain when many transactions append at once', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, n) => recordAuditEntry(database.db, entry(n))));
    expect(await verifyAuditLog(database.db)).toMatchObject({ ok: true, entries: 25 });
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordAuditEntry(trx, entry(1));
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    await recordAuditEntry(database.db, entry(2));
    const rows = await database.db.selectFrom('audit_log').select(['seq', 'subject_id']).execute();
    expect(rows).toEqual([{ seq: '1', subject_id: 'inv_2' }]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await recordAuditEntry(database.db, entry(1));
    await expect(sql`update audit_log set actor = 'U0EVIL'`.execute(database.db)).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(sql`delete from audit_log`.execute(database.db)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await verifyAuditLog(database.db)).toMatchObject({ ok: true, entries: 1 });
  });

  it('detects an entry whose content was changed behind the triggers', async () => {
    for (let n = 1; n <= 3; n++) await recordAuditEntry(database.db, entry(n));
    await tamper(database, sql`update audit_log set details = '{"total": "1.00"}' where seq = 2`);
    expect(await verifyAuditLog(database.db)).toMatchObject({
      ok: false,
      seq: '2',
      problem: 'content_changed',
    });
  });

  it('detects a removed entry', async () => {
    for (let n = 1; n <= 3; n++) await recordAuditEntry(database.db, entry(n));
    await tamper(database, sql`delete from audit_log where seq = 2`);
    expect(await verifyAuditLog(database.db)).toMatchObject({
      ok: false,
      seq: '2',
      problem: 'entry_missing',
    });
  });

  it('detects an entry whose link to its predecessor was changed', async () => {
    for (let n = 1; n <= 3; n++) await recordAuditEntry(database.db, entry(n));
    await tamper(database, sql`update audit_log set prev_hash = ${'f'.repeat(64)} where seq = 3`);
    expect(await verifyAuditLog(database.db)).toMatchObject({ ok: false, seq: '3', problem: 'chain_broken' });
  });
});
