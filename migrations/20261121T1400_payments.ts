import { sql, type Kysely } from 'kysely';

// Payments against finalized invoices, recorded by hand (/invoice paid) or pulled from the ERP. An ERP
// payment is recorded once per invoice, whichever of the hourly pull or a webhook finds it first.
// NOTE: one QuickBooks payment may settle several invoices, so its id repeats across invoices; the
// unique key is per invoice. A Xero payment always belongs to exactly one invoice.
// The immutability trigger (20261121T1100) leaves amount_paid, status and version free to change.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table payments (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices (id),
      amount numeric not null check (amount > 0),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      paid_on date not null,
      source text not null check (source in ('manual', 'xero', 'quickbooks')),
      external_id text check (length(external_id) between 1 and 200),
      recorded_by text not null check (length(recorded_by) between 1 and 200),
      -- The invoice's amount_paid once this payment was added: the thread post says what is left.
      amount_paid_after numeric not null check (amount_paid_after >= amount),
      -- The thread post's ledger: set once it is posted, so a re-run job posts nothing twice.
      slack_message_ts text,
      created_at timestamptz not null default now(),
      constraint payments_external_id_from_erp check ((source = 'manual') = (external_id is null))
    );
    create unique index payments_once_per_erp_payment on payments (source, external_id, invoice_id)
      where external_id is not null;
    create index payments_invoice_idx on payments (invoice_id, created_at);

    -- When the pull last asked the ERP about an invoice's payments: it takes the least recently asked first.
    alter table erp_syncs add column payments_checked_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table erp_syncs drop column payments_checked_at;
    drop table payments;
  `.execute(db);
}
