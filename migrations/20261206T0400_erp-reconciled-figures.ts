import { sql, type Kysely } from 'kysely';

// What the ERP says it holds for each posted invoice, total and tax, kept beside the sync: the posting
// news compares them with ours even when it is told in a later attempt than the one that posted.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table erp_syncs
      add column erp_total numeric,
      add column erp_total_tax numeric;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table erp_syncs drop column erp_total, drop column erp_total_tax`.execute(db);
}
