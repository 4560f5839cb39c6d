import { sql, type Kysely } from 'kysely';

// Which connection is current (the newest connected), and a tenant paused by its ERP's daily limit:
// syncs for it wait until `paused_until`, and the alerts channel is told when it stops and resumes.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table erp_connections
      add column connected_at timestamptz not null default now(),
      add column paused_until timestamptz;
    create index erp_syncs_waiting_idx on erp_syncs (provider) where state in ('pending', 'uncertain');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index erp_syncs_waiting_idx;
    alter table erp_connections drop column connected_at, drop column paused_until;
  `.execute(db);
}
