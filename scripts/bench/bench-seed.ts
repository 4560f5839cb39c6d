import { sql } from 'kysely';
import type { BillingPeriod } from '../../src/calendar/billing-period.ts';
import type { Db } from '../../src/db/database.ts';

export interface UsageSeed {
  customers: number;
  eventsPerCustomer: number;
  /** Each period gets the same usage, so runs over different periods do the same work. */
  periods: readonly BillingPeriod[];
  /** billing.yml's timezone: periods start and end at midnight there. */
  timezone: string;
}

/**
 * `cus_1`…`cus_N` in GBP with the gb_vat profile, each on a `starter` subscription since 2026-01-01,
 * with `eventsPerCustomer` api_calls events spread evenly over each period (whole and fractional
 * quantities, one metric priced by the plan), then VACUUM ANALYZE. Returns the usage rows written.
 */
export async function seedCustomersWithUsage(db: Db, seed: UsageSeed): Promise<number> {
  await sql`
    insert into customers (external_id, name, currency, email_to, tax_profile)
    select 'cus_' || n, 'Customer ' || n, 'GBP', array['billing' || n || '@example.com'], 'gb_vat'
    from generate_series(1, ${seed.customers}) n`.execute(db);
  await sql`
    insert into subscriptions (external_id, customer_id, plan_code, starts_on)
    select 'sub_' || external_id, id, 'starter', date '2026-01-01' from customers`.execute(db);
  for (const period of seed.periods) {
    await sql`
      with bounds as (
        select (${period.start}::date::timestamp at time zone ${seed.timezone}) as first,
          (${period.end}::date::timestamp at time zone ${seed.timezone}) as after
      )
      insert into usage_records (event_id, customer_id, metric, quantity, occurred_at, source)
      select 'evt_' || c.external_id || '_' || ${period.start} || '_' || g, c.id, 'api_calls',
        (g % 50) * 10 + 0.5, b.first + (g - 1) * ((b.after - b.first) / ${seed.eventsPerCustomer}), 'bench'
      from bounds b cross join customers c cross join generate_series(1, ${seed.eventsPerCustomer}) g`.execute(
      db,
    );
  }
  await sql`vacuum analyze`.execute(db);
  return seed.customers * seed.eventsPerCustomer * seed.periods.length;
}
