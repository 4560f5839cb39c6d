import { sql, type Kysely } from 'kysely';

// Payment reminders: a customer may opt out of them, and a reminder queued for an invoice that is
// paid or voided before it goes out is `cancelled` (never sent) rather than failed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table customers add column reminders_opt_out boolean not null default false;

    alter table deliveries drop constraint deliveries_state_check;
    alter table deliveries add constraint deliveries_state_check
      check (state in ('queued', 'sending', 'sent', 'failed', 'uncertain', 'cancelled'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from deliveries where state = 'cancelled';
    alter table deliveries drop constraint deliveries_state_check;
    alter table deliveries add constraint deliveries_state_check
      check (state in ('queued', 'sending', 'sent', 'failed', 'uncertain'));

    alter table customers drop column reminders_opt_out;
  `.execute(db);
}
