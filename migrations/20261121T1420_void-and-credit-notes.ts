import { sql, type Kysely } from 'kysely';

// Voids and credit notes: the two ways a finalized invoice is corrected. A void is a status change
// (allowed by the immutability trigger) plus the ERP void, tracked on the invoice's erp_syncs row.
// A credit note is its own legal document with its own gapless series (invoice_number_series, series
// 'CN'); the credit it gives is kept on the invoice as amount_credited (not covered by the trigger),
// so what is owed is total − amount_paid − amount_credited.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- NOTE: a draft may total below zero (flagged, never finalized), so the bound is the positive total.
    alter table invoices add column amount_credited numeric not null default 0
      constraint invoices_credit_within_total check (amount_credited >= 0 and amount_credited <= greatest(total, 0));
    -- The void's post in the invoice thread: set once posted, so a re-run job posts nothing twice.
    alter table invoices add column void_slack_ts text;

    -- The ERP void of a synced invoice: requested with the local void, done once.
    alter table erp_syncs add column void_state text
      check (void_state in ('pending', 'voided', 'failed'));
    alter table erp_syncs add column void_error jsonb;
    alter table erp_syncs add column voided_at timestamptz;

    create table credit_notes (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices (id),
      series text not null check (length(series) between 1 and 20),
      number text not null unique,
      -- What the customer is credited, tax included, in the invoice currency; tax_amount is part of it.
      amount numeric not null check (amount > 0),
      tax_amount numeric not null check (tax_amount >= 0 and tax_amount <= amount),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      full_credit boolean not null,
      reason text not null check (length(reason) between 3 and 1000),
      created_by text not null check (length(created_by) between 1 and 200),
      issue_date date not null,
      issued_at timestamptz not null,
      pdf_sha256 text check (pdf_sha256 ~ '^[0-9a-f]{64}$'),
      slack_message_ts text,
      created_at timestamptz not null default now()
    );
    create index credit_notes_invoice_idx on credit_notes (invoice_id, issued_at);

    alter table deliveries add column credit_note_id uuid references credit_notes (id);
    alter table deliveries add constraint deliveries_credit_note_kind
      check ((kind = 'credit_note') = (credit_note_id is not null));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from deliveries where kind = 'credit_note';
    alter table deliveries drop constraint deliveries_credit_note_kind;
    alter table deliveries drop column credit_note_id;
    drop table credit_notes;
    alter table erp_syncs drop column voided_at;
    alter table erp_syncs drop column void_error;
    alter table erp_syncs drop column void_state;
    alter table invoices drop column void_slack_ts;
    alter table invoices drop column amount_credited;
  `.execute(db);
}
