import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { loadConfig } from '../config.ts';
import { checkAuditLogSafeguards, describeAuditSetup } from './audit-log-safeguards.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { recordAuditEntry } from './record-audit-entry.ts';

// The role an operator gives billops (README, Reliability): it logs in, reads and writes the tables,
// owns none of them and is no superuser, so it cannot switch the audit log's triggers off.

const ROLE = `billops_app_${randomBytes(4).toString('hex')}`;
const PASSWORD = randomBytes(12).toString('hex');

let database: TestDatabase;
let asApp: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  // The statements the README gives the operator, run by the owner of the tables.
  await sql
    .raw(
      `create role ${ROLE} login password '${PASSWORD}' nosuperuser nocreaterole nocreatedb bypassrls;
       grant connect on database ${database.name} to ${ROLE};
       grant usage on schema public, graphile_worker to ${ROLE};
       grant select, insert, update, delete on all tables in schema public, graphile_worker to ${ROLE};
       grant usage, select on all sequences in schema public, graphile_worker to ${ROLE};
       grant execute on all functions in schema graphile_worker to ${ROLE};`,
    )
    .execute(database.db);
  const url = new URL(database.url);
  url.username = ROLE;
  url.password = PASSWORD;
  asApp = openDatabase(url.toString(), { max: 2 });
});
afterAll(async () => {
  await asApp.close();
  await sql.raw(`drop owned by ${ROLE}; drop role ${ROLE}`).execute(database.db);
  await database.close();
});

describe('checkAuditLogSafeguards', () => {
  it('says a superuser connection could switch the triggers off, and start-up warns about it', async () => {
    const guards = await checkAuditLogSafeguards(database.db);
    expect(guards.superuser || guards.ownsAuditLog).toBe(true);
    const lines = await describeAuditSetup(database.db, loadConfig({}).audit);
    expect(lines).toContainEqual({
      level: 'warn',
      message: expect.stringContaining('which can switch off its append-only triggers') as string,
    });
    expect(lines).toContainEqual({
      level: 'warn',
      message: expect.stringContaining('Audit log: not keyed') as string,
    });
  });

  it('finds a role that neither is a superuser nor owns audit_log unable to, and warns of nothing', async () => {
    expect(await checkAuditLogSafeguards(asApp.db)).toEqual({
      role: ROLE,
      superuser: false,
      ownsAuditLog: false,
    });
    const lines = await describeAuditSetup(asApp.db, loadConfig({ AUDIT_KEY: 'ab'.repeat(32) }).audit);
    expect(lines).toEqual([
      { level: 'info', message: expect.stringContaining('keyed with AUDIT_KEY') as string },
    ]);
  });

  it('lets that role append to the audit log and queue jobs, but not disable the triggers or bypass them', async () => {
    await recordAuditEntry(asApp.db, { actor: 'U1', action: 'test', subjectType: 't', subjectId: '1' });
    // NOTE: graphile-worker's private tables have row-level security: hence BYPASSRLS, which touches no trigger.
    await asApp.db.transaction().execute((trx) => enqueueJob(trx, 'verify_audit_log', {}));
    await expect(
      sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(asApp.db),
    ).rejects.toThrow(/must be owner/);
    await expect(sql`set session_replication_role = replica`.execute(asApp.db)).rejects.toThrow(
      /permission denied/,
    );
    await expect(sql`delete from audit_log`.execute(asApp.db)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql`truncate audit_log`.execute(asApp.db)).rejects.toThrow(
      /append-only: TRUNCATE|permission denied/,
    );
  });
});
