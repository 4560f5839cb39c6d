import { sql, type Kysely } from 'kysely';

// The audit chain becomes keyed: hash_version 1 is the original unkeyed SHA-256 (every row written so
// far keeps it and verifies as before); 2 is HMAC-SHA256 with a key kept outside the database. The
// default stays 1 so an older instance still running during a rolling upgrade can append (its entry
// then shows up as unkeyed after keyed ones). Adding a column rewrites no row: the append-only
// triggers are not involved.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_log add column hash_version smallint not null default 1
      constraint audit_log_hash_version_check check (hash_version in (1, 2));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log drop column hash_version`.execute(db);
}
