import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import type { Db } from '../db/database.ts';
import { anchorAuditLog } from './anchor-audit-log.ts';
import { AuditAnchorFileError, readAuditAnchors } from './audit-anchors.ts';
import { withAuditChainKey } from './audit-chain-key.ts';
import { GENESIS_HASH, hashAuditEntry, macAuditEntry } from './audit-hash.ts';
import { recordAuditEntry } from './record-audit-entry.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

// What a database superuser can do to the audit log, and what billops sees of it: triggers switched off,
// rows edited, hashes recomputed, the newest rows deleted, the table emptied. The superuser has the
// database, not AUDIT_KEY, and not the anchor file.

const AUDIT_KEY = Buffer.alloc(32, 7);
const GUESSED_KEY = Buffer.alloc(32, 8);

const entry = (n: number) => ({
  actor: 'U0APPROVER1',
  action: 'invoice.finalized',
  subjectType: 'invoice',
  subjectId: `inv_${n}`,
  details: { total: '58.80', currency: 'GBP' },
});

/** Runs statements the way someone with direct database access would: with the triggers switched off. */
async function asSuperuser(database: TestDatabase, statements: ReturnType<typeof sql>[]): Promise<void> {
  await database.db.connection().execute(async (connection) => {
    await sql`set session_replication_role = replica`.execute(connection);
    for (const statement of statements) await statement.execute(connection);
    await sql`set session_replication_role = origin`.execute(connection);
  });
}

/**
 * Recomputes every hash from `fromSeq` on so each entry links to the one before, as the attacker must
 * after an edit: unkeyed (version 1), or keyed with a key they guessed.
 */
async function rechain(database: TestDatabase, fromSeq: number, rewrite: { key?: Buffer }): Promise<void> {
  const before = await database.db
    .selectFrom('audit_log')
    .select('hash')
    .where('seq', '=', String(fromSeq - 1))
    .executeTakeFirst();
  let prevHash = before?.hash ?? GENESIS_HASH;
  const rows = await database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>=', String(fromSeq))
    .orderBy('seq')
    .execute();
  const updates = [];
  for (const row of rows) {
    const fields = {
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      details: row.details,
      prevHash,
    };
    const hash = rewrite.key === undefined ? hashAuditEntry(fields) : macAuditEntry(fields, rewrite.key);
    const version = rewrite.key === undefined ? 1 : 2;
    updates.push(
      sql`update audit_log set prev_hash = ${prevHash}, hash = ${hash}, hash_version = ${version} where seq = ${row.seq}`,
    );
    prevHash = hash;
  }
  // The unique index on hash is checked per row: clear the old hashes first.
  await asSuperuser(database, [
    sql`update audit_log set hash = md5(seq::text) || md5(seq::text || 'x') where seq >= ${fromSeq}`,
    ...updates,
  ]);
}

const editTotal = (seq: number) =>
  sql`update audit_log set details = '{"total": "0.01", "currency": "GBP"}' where seq = ${seq}`;

describe('audit log against a database superuser', () => {
  let database: TestDatabase;
  let keyed: Db;
  let dir: string;
  let anchorFile: string;
  const anchor = () =>
    anchorAuditLog(keyed, { anchorFile, reason: 'run_end', now: new Date('2026-11-03T09:00:00Z') });
  const verify = async () => verifyAuditLog(keyed, { anchors: await readAuditAnchors(anchorFile) });

  beforeEach(async () => {
    database = await createTestDatabase();
    keyed = withAuditChainKey(database.db, AUDIT_KEY);
    dir = await mkdtemp(path.join(tmpdir(), 'billops-audit-'));
    anchorFile = path.join(dir, 'anchors', 'audit-anchors.jsonl');
  });
  afterEach(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keys new entries, and the unkeyed entries written before still verify', async () => {
    for (let n = 1; n <= 2; n++) await recordAuditEntry(database.db, entry(n));
    for (let n = 3; n <= 4; n++) await recordAuditEntry(keyed, entry(n));
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['seq', 'hash_version'])
      .orderBy('seq')
      .execute();
    expect(rows.map((row) => row.hash_version)).toEqual([1, 1, 2, 2]);
    expect(await verifyAuditLog(keyed)).toMatchObject({ ok: true, entries: 4, keyedFrom: '3' });
    // Without the key, keyed entries cannot be checked, and that is said rather than passed.
    expect(await verifyAuditLog(database.db)).toMatchObject({ ok: false, seq: '3', problem: 'key_missing' });
    // Another key is not the key.
    expect(await verifyAuditLog(database.db, { key: GUESSED_KEY })).toMatchObject({
      ok: false,
      seq: '3',
      problem: 'content_changed',
    });
  });

  it('keeps one unbroken keyed chain when many transactions append at once', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, n) => recordAuditEntry(keyed, entry(n))));
    expect(await verifyAuditLog(keyed)).toMatchObject({ ok: true, entries: 25, keyedFrom: '1' });
  });

  it('keys entries appended inside a transaction of the keyed handle', async () => {
    await keyed.transaction().execute((trx) => recordAuditEntry(trx, entry(1)));
    const row = await database.db.selectFrom('audit_log').select('hash_version').executeTakeFirstOrThrow();
    expect(row.hash_version).toBe(2);
  });

  it('detects an edited entry re-chained with a guessed key, at the entry that was edited', async () => {
    for (let n = 1; n <= 4; n++) await recordAuditEntry(keyed, entry(n));
    await asSuperuser(database, [editTotal(2)]);
    await rechain(database, 2, { key: GUESSED_KEY });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, seq: '2', problem: 'content_changed' });
    expect(result.ok ? undefined : result.entry?.details).toEqual({ total: '0.01', currency: 'GBP' });
  });

  it('detects an edited entry re-chained without a key after keyed entries', async () => {
    for (let n = 1; n <= 4; n++) await recordAuditEntry(keyed, entry(n));
    await asSuperuser(database, [editTotal(2)]);
    await rechain(database, 2, {});
    expect(await verify()).toMatchObject({ ok: false, seq: '2', problem: 'unkeyed_after_keyed' });
  });

  it('detects a keyed chain rewritten unkeyed from its first entry, by the anchor that saw it keyed', async () => {
    for (let n = 1; n <= 3; n++) await recordAuditEntry(keyed, entry(n));
    expect(await anchor()).toMatchObject({ code: 'anchored', anchor: { seq: '3', keyedFrom: '1' } });
    await recordAuditEntry(keyed, entry(4));
    await asSuperuser(database, [editTotal(4)]);
    await rechain(database, 1, {});
    expect(await verify()).toMatchObject({ ok: false, seq: '1', problem: 'unkeyed_after_keyed' });
  });

  it('detects an unkeyed chain re-chained after an edit, at the anchor that follows it', async () => {
    for (let n = 1; n <= 2; n++) await recordAuditEntry(database.db, entry(n));
    expect(await anchor()).toMatchObject({ code: 'anchored', anchor: { seq: '2', keyedFrom: null } });
    for (let n = 3; n <= 5; n++) await recordAuditEntry(database.db, entry(n));
    expect(await anchor()).toMatchObject({ code: 'anchored', anchor: { seq: '5' } });
    await asSuperuser(database, [editTotal(4)]);
    await rechain(database, 4, {});
    // Re-chained, the edit passes the hash checks: only the anchor can tell.
    expect(await verifyAuditLog(database.db)).toMatchObject({ ok: true });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, seq: '5', problem: 'anchor_mismatch', anchor: { seq: '5' } });
    expect(result.ok ? '' : result.message).toContain('rewritten from entry 3 up to it');
  });

  it('detects deleted newest entries against the anchor', async () => {
    for (let n = 1; n <= 4; n++) await recordAuditEntry(keyed, entry(n));
    await anchor();
    await asSuperuser(database, [sql`delete from audit_log where seq >= 3`]);
    // The chain that is left is a valid chain: only the anchor shows what is missing.
    expect(await verifyAuditLog(keyed)).toMatchObject({ ok: true, entries: 2 });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, seq: '3', problem: 'entries_removed', entry: undefined });
    expect(result.ok ? '' : result.message).toContain('entries 3–4 were removed');
  });

  it('detects an emptied table against the anchor', async () => {
    for (let n = 1; n <= 3; n++) await recordAuditEntry(keyed, entry(n));
    await anchor();
    await asSuperuser(database, [sql`truncate audit_log`]);
    expect(await verifyAuditLog(keyed)).toMatchObject({ ok: true, entries: 0 });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, seq: '1', problem: 'entries_removed' });
    expect(result.ok ? '' : result.message).toContain('the table was emptied');
  });

  it('detects a table emptied and refilled past the anchor', async () => {
    for (let n = 1; n <= 2; n++) await recordAuditEntry(keyed, entry(n));
    await anchor();
    await asSuperuser(database, [sql`truncate audit_log`]);
    for (let n = 1; n <= 3; n++) await recordAuditEntry(keyed, { ...entry(n), subjectId: `forged_${n}` });
    expect(await verify()).toMatchObject({ ok: false, seq: '2', problem: 'anchor_mismatch' });
  });

  it('verifies an untampered chain against its anchors, entries after the last anchor included', async () => {
    for (let n = 1; n <= 2; n++) await recordAuditEntry(database.db, entry(n));
    await anchor();
    for (let n = 3; n <= 5; n++) await recordAuditEntry(keyed, entry(n));
    await anchor();
    await recordAuditEntry(keyed, entry(6));
    expect(await verify()).toMatchObject({ ok: true, entries: 6, keyedFrom: '3', anchors: 2 });
    const lines = (await readFile(anchorFile, 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ seq: '2', keyedFrom: null, reason: 'run_end' }),
      expect.objectContaining({ seq: '5', keyedFrom: '3', reason: 'run_end' }),
    ]);
  });

  it('anchors nothing while the chain does not verify', async () => {
    for (let n = 1; n <= 3; n++) await recordAuditEntry(keyed, entry(n));
    await anchor();
    const before = await readFile(anchorFile, 'utf8');
    await asSuperuser(database, [editTotal(2)]);
    expect(await anchor()).toMatchObject({ code: 'chain_broken', verification: { seq: '2' } });
    expect(await readFile(anchorFile, 'utf8')).toBe(before);
  });

  it('refuses an anchor file with a line billops did not write', async () => {
    await recordAuditEntry(keyed, entry(1));
    await anchor();
    await writeFile(anchorFile, `${await readFile(anchorFile, 'utf8')}{"seq":"1","hash":"forged"}\n`);
    await expect(readAuditAnchors(anchorFile)).rejects.toThrow(AuditAnchorFileError);
    await expect(readAuditAnchors(anchorFile)).rejects.toThrow(/line 2 is not an audit anchor/);
  });
});
