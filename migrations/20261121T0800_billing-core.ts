import { sql, type Kysely } from 'kysely';

// Customers, plans, subscriptions, usage, runs, invoices, approvals and numbering.
// NOTE: money is `numeric` (exact); currencies are ISO 4217 codes; statuses are closed lists.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table customers (
      id uuid primary key default gen_random_uuid(),
      external_id text not null unique check (length(external_id) between 1 and 200),
      name text not null check (length(trim(name)) > 0),
      email_to text[] not null default '{}',
      email_cc text[] not null default '{}',
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      payment_terms_days integer not null default 30 check (payment_terms_days between 0 and 365),
      tax_profile text,
      tax_id text,
      billing_address jsonb not null default '{}' check (jsonb_typeof(billing_address) = 'object'),
      timezone text not null default 'UTC',
      xero_contact_id text,
      quickbooks_customer_id text,
      hold_for_review boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table plans (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (length(code) between 1 and 100),
      name text not null,
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      billing_interval text not null default 'month'
        check (billing_interval in ('week', 'month', 'quarter', 'year')),
      active boolean not null default true,
      created_at timestamptz not null default now()
    );

    create table price_components (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id) on delete cascade,
      code text not null,
      position integer not null default 0,
      description text not null,
      metric text,
      model text not null
        check (model in ('flat', 'per_unit', 'graduated', 'volume', 'package', 'percentage')),
      unit_price numeric,
      package_size numeric check (package_size > 0),
      tiers jsonb not null default '[]' check (jsonb_typeof(tiers) = 'array'),
      minimum_amount numeric check (minimum_amount >= 0),
      percentage numeric check (percentage >= 0),
      erp_item_code text,
      gl_account_code text,
      tax_code text,
      tracking jsonb not null default '{}',
      unique (plan_id, code),
      check (model = 'flat' or metric is not null)
    );

    create table subscriptions (
      id uuid primary key default gen_random_uuid(),
      external_id text unique,
      customer_id uuid not null references customers (id),
      plan_id uuid not null references plans (id),
      starts_on date not null,
      ends_on date check (ends_on is null or ends_on > starts_on),
      discount_percent numeric check (discount_percent between 0 and 100),
      discount_amount numeric check (discount_amount >= 0),
      prorate boolean not null default true,
      created_at timestamptz not null default now()
    );
    create index subscriptions_customer_idx on subscriptions (customer_id);

    create table usage_records (
      id uuid primary key default gen_random_uuid(),
      event_id text not null unique check (length(event_id) between 1 and 200),
      customer_id uuid not null references customers (id),
      metric text not null,
      quantity numeric not null,
      occurred_at timestamptz not null,
      source text not null,
      properties jsonb not null default '{}',
      received_at timestamptz not null default now()
    );
    create index usage_records_customer_metric_idx on usage_records (customer_id, metric, occurred_at);

    create table billing_runs (
      id uuid primary key default gen_random_uuid(),
      trigger text not null check (trigger in ('schedule', 'webhook', 'command', 'api')),
      trigger_key text not null,
      period_start date not null,
      period_end date not null check (period_end > period_start),
      scope jsonb not null default '{}',
      status text not null default 'drafting'
        check (status in ('drafting', 'awaiting_approval', 'completed', 'failed')),
      started_by text not null,
      slack_channel_id text,
      slack_summary_ts text,
      counts jsonb not null default '{}',
      totals jsonb not null default '{}',
      error text,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      unique (trigger_key, period_start, period_end)
    );

    create table invoices (
      id uuid primary key default gen_random_uuid(),
      run_id uuid references billing_runs (id),
      customer_id uuid not null references customers (id),
      status text not null default 'draft' check (status in (
        'draft', 'pending_approval', 'approved', 'rejected',
        'finalized', 'partially_paid', 'paid', 'overdue', 'void')),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      subtotal numeric not null default 0,
      discount_total numeric not null default 0 check (discount_total >= 0),
      tax_total numeric not null default 0,
      total numeric not null default 0,
      amount_paid numeric not null default 0 check (amount_paid >= 0),
      period_start date,
      period_end date,
      issue_date date,
      due_date date constraint invoices_due_after_issue
        check (due_date is null or issue_date is null or due_date >= issue_date),
      series text,
      number text unique,
      finalized_at timestamptz,
      review_reasons jsonb not null default '[]' check (jsonb_typeof(review_reasons) = 'array'),
      approvals_required integer not null default 1 check (approvals_required between 0 and 2),
      version integer not null default 1 check (version > 0),
      slack_channel_id text,
      slack_thread_ts text,
      pdf_sha256 text check (pdf_sha256 ~ '^[0-9a-f]{64}$'),
      void_reason text,
      voided_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (run_id, customer_id),
      -- A number exists exactly when the invoice has been finalized (it is taken at finalization).
      constraint invoices_number_once_finalized
        check ((number is null) = (status in ('draft', 'pending_approval', 'approved', 'rejected'))),
      constraint invoices_finalized_at_with_number check ((finalized_at is null) = (number is null)),
      constraint invoices_voided_at_when_void check ((status = 'void') = (voided_at is not null))
    );
    create index invoices_status_idx on invoices (status);
    create index invoices_customer_idx on invoices (customer_id, created_at);

    create table invoice_lines (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices (id) on delete cascade,
      position integer not null check (position >= 0),
      description text not null,
      price_component_id uuid references price_components (id),
      metric text,
      period_start date,
      period_end date,
      quantity numeric not null,
      unit_amount numeric not null,
      amount numeric not null,
      discount_amount numeric not null default 0 check (discount_amount >= 0),
      tax_rate numeric not null default 0 check (tax_rate >= 0),
      tax_amount numeric not null default 0,
      gl_account_code text,
      erp_item_code text,
      tax_code text,
      tracking jsonb not null default '{}',
      calculation jsonb not null default '{}',
      unique (invoice_id, position)
    );

    create table approvals (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices (id),
      decision text not null check (decision in ('approved', 'rejected', 'auto_approved')),
      slack_user_id text,
      reason text,
      invoice_version integer not null,
      decided_at timestamptz not null default now(),
      check (decision <> 'rejected' or length(trim(coalesce(reason, ''))) > 0),
      check ((decision = 'auto_approved') = (slack_user_id is null))
    );
    create index approvals_invoice_idx on approvals (invoice_id, decided_at);

    -- NOTE: never a Postgres sequence: sequences leave gaps when a transaction rolls back.
    create table invoice_number_series (
      series text not null,
      year integer not null check (year between 2000 and 9999),
      next_value bigint not null default 1 check (next_value > 0),
      primary key (series, year)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table invoice_number_series;
    drop table approvals;
    drop table invoice_lines;
    drop table invoices;
    drop table billing_runs;
    drop table usage_records;
    drop table subscriptions;
    drop table price_components;
    drop table plans;
    drop table customers;
  `.execute(db);
}
