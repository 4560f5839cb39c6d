import { sql, type Kysely } from 'kysely';

// What the ERPs tell us by webhook (Xero: an invoice changed, e.g. paid), kept for the payments work:
// recorded once each (the event id is claimed in processed_events in the same transaction).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table erp_events (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (provider in ('xero', 'quickbooks')),
      tenant_id text not null,
      category text not null,
      event_type text not null,
      resource_id text not null,
      resource_url text,
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      handled_at timestamptz
    );
    create index erp_events_unhandled_idx on erp_events (received_at) where handled_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table erp_events;`.execute(db);
}
