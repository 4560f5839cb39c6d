import { sql, type Kysely } from 'kysely';

// One ledger row per side effect: the row, not the job queue, is the truth about what happened.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table deliveries (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices (id),
      kind text not null default 'invoice' check (kind in ('invoice', 'reminder', 'credit_note')),
      -- One key per email that must never be sent twice (e.g. invoice:<id>, reminder:<id>:7d-after).
      dedupe_key text not null unique,
      recipients text[] not null check (cardinality(recipients) > 0),
      cc text[] not null default '{}',
      state text not null default 'queued'
        check (state in ('queued', 'sending', 'sent', 'failed', 'uncertain')),
      message_id text not null unique,
      attempts integer not null default 0 check (attempts >= 0),
      smtp_response text,
      error text,
      last_attempt_at timestamptz,
      sent_at timestamptz check ((state = 'sent') = (sent_at is not null)),
      created_at timestamptz not null default now()
    );
    create index deliveries_invoice_idx on deliveries (invoice_id);
    create index deliveries_in_flight_idx on deliveries (last_attempt_at) where state = 'sending';

    create table erp_syncs (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices (id),
      provider text not null check (provider in ('xero', 'quickbooks')),
      state text not null default 'pending'
        check (state in ('pending', 'in_flight', 'synced', 'failed', 'uncertain')),
      idempotency_key text not null unique check (length(idempotency_key) <= 36),
      external_id text,
      external_number text,
      attachment_id text,
      attempts integer not null default 0 check (attempts >= 0),
      error jsonb,
      last_attempt_at timestamptz,
      synced_at timestamptz check ((state = 'synced') = (synced_at is not null)),
      created_at timestamptz not null default now(),
      unique (invoice_id, provider)
    );
    create index erp_syncs_in_flight_idx on erp_syncs (last_attempt_at) where state = 'in_flight';

    create table erp_connections (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (provider in ('xero', 'quickbooks')),
      tenant_id text not null,
      tenant_name text,
      -- NOTE: tokens are encrypted by the app (ENCRYPTION_KEY) before they reach this table.
      access_token_encrypted text not null,
      refresh_token_encrypted text not null,
      access_token_expires_at timestamptz not null,
      status text not null default 'active' check (status in ('active', 'needs_reconnect')),
      connected_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (provider, tenant_id)
    );

    create table processed_events (
      source text not null,
      event_id text not null,
      received_at timestamptz not null default now(),
      primary key (source, event_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table processed_events;
    drop table erp_connections;
    drop table erp_syncs;
    drop table deliveries;
  `.execute(db);
}
