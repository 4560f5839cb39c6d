import type pg from 'pg';

// The role the app connects as, when billops provisions its own Postgres (the embedded default).
// Migrations run as the owner; the app runs as a role that is neither superuser nor owner, so it cannot
// switch off audit_log's append-only trigger (ALTER TABLE … DISABLE TRIGGER needs the table's owner:
// PostgreSQL docs, ALTER TABLE, "You must own the table to use ALTER TABLE") nor bypass it
// (session_replication_role needs superuser), and it is refused UPDATE, DELETE and TRUNCATE on
// audit_log outright. README, Reliability, gives the same grants for a Postgres the operator runs.

export const APP_ROLE = 'billops_app';

/**
 * Creates the app role (or sets its password again) and grants it what the app does: rows in every
 * table of public and graphile_worker (with a row-level policy where graphile-worker guards its tables),
 * their sequences and graphile-worker's functions; on audit_log
 * only SELECT and INSERT. Idempotent; run after every migration, as the owner, so new tables are covered.
 */
export async function ensureAppRole(
  owner: pg.Pool,
  options: { password: string; database: string },
): Promise<void> {
  const client = await owner.connect();
  try {
    const role = client.escapeIdentifier(APP_ROLE);
    const password = client.escapeLiteral(options.password);
    await client.query('begin');
    // NOTE: serialises concurrent starts on one server (CREATE ROLE has no IF NOT EXISTS).
    await client.query(`select pg_advisory_xact_lock(hashtext('billops:app-role'))`);
    const existing = await client.query('select 1 from pg_roles where rolname = $1', [APP_ROLE]);
    const verb = existing.rowCount === 0 ? 'create' : 'alter';
    await client.query(
      `${verb} role ${role} login password ${password} nosuperuser nocreatedb nocreaterole noinherit nobypassrls`,
    );
    await client.query(`grant connect on database ${client.escapeIdentifier(options.database)} to ${role}`);
    for (const schema of ['public', 'graphile_worker']) {
      await client.query(`grant usage on schema ${schema} to ${role}`);
      await client.query(`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`);
      await client.query(`grant usage, select, update on all sequences in schema ${schema} to ${role}`);
    }
    await client.query(`grant execute on all functions in schema graphile_worker to ${role}`);
    // NOTE: graphile-worker enables row-level security on its private tables with no policy (its
    // sql/000011.sql), so any role but their owner sees no row: the app would find no job to run and
    // could not register its tasks. A policy per table lets the app role see and write every row.
    const { rows: guarded } = await client.query<{ name: string }>(
      `select relname as name from pg_class
        where relnamespace = 'graphile_worker'::regnamespace and relkind = 'r' and relrowsecurity`,
    );
    for (const { name } of guarded) {
      const table = `graphile_worker.${client.escapeIdentifier(name)}`;
      await client.query(`drop policy if exists billops_app_rows on ${table}`);
      await client.query(
        `create policy billops_app_rows on ${table} to ${role} using (true) with check (true)`,
      );
    }
    await client.query(`revoke update, delete, truncate on audit_log from ${role}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
