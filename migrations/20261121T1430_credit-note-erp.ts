import { sql, type Kysely } from 'kysely';

// Credit notes in the ERP, and invoices voided before they reached it.
// - erp_syncs may end 'skipped': the invoice was voided here before its sync ran, so it is never posted.
// - erp_credit_note_syncs: the ledger of posting a credit note to the ERP, once per (credit note,
//   provider), and of allocating it to its invoice there (Xero) once.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table erp_syncs drop constraint erp_syncs_state_check;
    alter table erp_syncs add constraint erp_syncs_state_check
      check (state in ('pending', 'in_flight', 'synced', 'failed', 'uncertain', 'skipped'));

    create table erp_credit_note_syncs (
      id uuid primary key default gen_random_uuid(),
      credit_note_id uuid not null references credit_notes (id),
      provider text not null check (provider in ('xero', 'quickbooks')),
      state text not null default 'pending'
        check (state in ('pending', 'in_flight', 'synced', 'failed', 'uncertain', 'skipped')),
      idempotency_key text not null unique check (length(idempotency_key) <= 36),
      external_id text,
      -- The allocation to the invoice in the ERP: pending until done (or nothing was owed there).
      allocation_state text not null default 'pending'
        check (allocation_state in ('pending', 'allocated', 'failed')),
      allocated_amount numeric check (allocated_amount >= 0),
      attempts integer not null default 0 check (attempts >= 0),
      error jsonb,
      last_attempt_at timestamptz,
      synced_at timestamptz check ((state = 'synced') = (synced_at is not null)),
      created_at timestamptz not null default now(),
      unique (credit_note_id, provider)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table erp_credit_note_syncs;
    update erp_syncs set state = 'failed' where state = 'skipped';
    alter table erp_syncs drop constraint erp_syncs_state_check;
    alter table erp_syncs add constraint erp_syncs_state_check
      check (state in ('pending', 'in_flight', 'synced', 'failed', 'uncertain'));
  `.execute(db);
}
