import { sql, type Kysely } from 'kysely';

// Where an invoice's approval card lives (updated in place after a decision), apart from the thread
// its later news goes to; and the run summary's last refresh, so updates can be throttled.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table invoices add column slack_card_ts text;
    alter table billing_runs add column slack_summary_updated_at timestamptz;
    create index invoices_run_status_idx on invoices (run_id, status);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index invoices_run_status_idx;
    alter table billing_runs drop column slack_summary_updated_at;
    alter table invoices drop column slack_card_ts;
  `.execute(db);
}
