import { sql, type Kysely } from 'kysely';

// Plans, price components, tax profiles and payment terms live in billing.yml (one source of truth,
// reviewed like code); rows refer to them by code. Each invoice line keeps the working it was priced
// with, so an invoice never depends on today's config. One draft per customer and period, across runs.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table invoice_lines
      drop column price_component_id,
      add column subscription_id uuid references subscriptions (id),
      add column component_code text;

    alter table subscriptions
      drop column plan_id,
      add column plan_code text not null check (length(plan_code) between 1 and 100);

    drop table price_components;
    drop table plans;

    alter table customers
      drop column payment_terms_days,
      add column payment_terms text check (length(payment_terms) between 1 and 100);

    alter table invoices
      add column prices_include_tax boolean not null default false,
      add column exceptions jsonb not null default '[]' check (jsonb_typeof(exceptions) = 'array'),
      add column notes jsonb not null default '[]' check (jsonb_typeof(notes) = 'array');

    -- NOTE: two runs over overlapping scopes must not bill a customer twice for one period.
    create unique index invoices_one_per_customer_period on invoices (customer_id, period_start, period_end)
      where run_id is not null and status <> 'void';

    create index usage_records_occurred_at_idx on usage_records (occurred_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index usage_records_occurred_at_idx;
    drop index invoices_one_per_customer_period;
    alter table invoices drop column prices_include_tax, drop column exceptions, drop column notes;
    alter table customers
      drop column payment_terms,
      add column payment_terms_days integer not null default 30 check (payment_terms_days between 0 and 365);

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

    -- Plan codes cannot become plan rows again; the column comes back empty.
    alter table subscriptions drop column plan_code, add column plan_id uuid references plans (id);
    alter table invoice_lines
      drop column subscription_id,
      drop column component_code,
      add column price_component_id uuid references price_components (id);
  `.execute(db);
}
