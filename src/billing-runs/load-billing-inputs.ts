import { sql } from 'kysely';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import { eventLoopBudget } from '../jobs/event-loop-budget.ts';
import { Decimal } from '../money/decimal.ts';
import type { BillingPeriod } from './billing-period.ts';
import {
  customerToBill,
  type CustomerToBill,
  type SubscriptionToBill,
  type UsageTotal,
} from './draft-invoice.ts';
import type { RunScope } from './run-scope.ts';

export interface CustomerInputs {
  customer: CustomerToBill;
  subscriptions: SubscriptionToBill[];
  usage: UsageTotal[];
}

export interface BillingInputs {
  customers: CustomerInputs[];
  /**
   * Customers already invoiced for an overlapping period (by any run, not voided; a one-off order's
   * invoice does not count): customer id → run id.
   */
  alreadyInvoiced: Map<string, string>;
}

/**
 * Everything a run needs, in three queries. NOTE: usage is summed in Postgres, one row per
 * (customer, metric, subscription that prices it), so a million events never cross into Node.
 */
export async function loadBillingInputs(
  db: Db,
  billing: BillingConfig,
  period: BillingPeriod,
  scope: RunScope,
): Promise<BillingInputs> {
  const listed = scope.customers === 'all' ? null : [...new Set(scope.customers)];
  const customers = await db
    .selectFrom('customers')
    .select(['id', 'external_id', 'name', 'currency', 'email_to', 'payment_terms', 'tax_profile'])
    .$if(listed !== null, (query) => query.where('external_id', 'in', listed ?? []))
    .orderBy('external_id')
    .execute();
  const customerIds = customers.map((row) => row.id);
  const inScope =
    listed === null ? sql<boolean>`true` : sql<boolean>`customer_id = any(${customerIds}::uuid[])`;

  const subscriptions = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where(inScope)
    .where('starts_on', '<', period.end)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', period.start)]))
    .orderBy('starts_on')
    .orderBy('id')
    .execute();

  const usage = await sumUsage(db, billing, period, {
    customers: listed === null ? null : customerIds,
    subscriptions,
  });

  const invoiced = await db
    .selectFrom('invoices')
    .select(['customer_id', 'run_id'])
    .where('run_id', 'is not', null)
    .where('origin', 'is', null)
    .where('status', '<>', 'void')
    .where('period_start', '<', period.end)
    .where('period_end', '>', period.start)
    .where(inScope)
    .execute();

  const customersById = new Map(customers.map((row) => [row.id, row]));
  const byCustomer = new Map<string, CustomerInputs>();
  const entryFor = (customerId: string): CustomerInputs | undefined => {
    const existing = byCustomer.get(customerId);
    if (existing) return existing;
    const row = customersById.get(customerId);
    if (row === undefined) return undefined;
    const created: CustomerInputs = {
      customer: customerToBill(row),
      subscriptions: [],
      usage: [],
    };
    byCustomer.set(customerId, created);
    return created;
  };

  const budget = eventLoopBudget();
  for (const row of subscriptions) {
    await budget.pause();
    entryFor(row.customer_id)?.subscriptions.push({
      id: row.id,
      externalId: row.external_id,
      planCode: row.plan_code,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      discountPercent: row.discount_percent === null ? null : new Decimal(row.discount_percent),
      discountAmount: row.discount_amount === null ? null : new Decimal(row.discount_amount),
      prorate: row.prorate,
    });
  }
  for (const row of usage) {
    await budget.pause();
    entryFor(row.customer_id)?.usage.push({
      subscriptionId: row.subscription_id,
      metric: row.metric,
      quantity: new Decimal(row.quantity),
      events: row.events,
    });
  }

  return {
    customers: [...byCustomer.values()].sort((a, b) =>
      a.customer.externalId.localeCompare(b.customer.externalId),
    ),
    alreadyInvoiced: new Map(invoiced.map((row) => [row.customer_id, row.run_id ?? ''])),
  };
}

interface UsageRow {
  customer_id: string;
  metric: string;
  subscription_id: string | null;
  quantity: string;
  events: number;
}

/**
 * Usage per (customer, metric, subscription that prices it). NOTE: for a customer whose subscriptions
 * all span the whole period (nearly everyone), one plain GROUP BY suffices and each metric is matched
 * to its subscription here; only customers with a subscription starting or ending inside the period
 * need the join that splits usage by subscription dates.
 */
async function sumUsage(
  db: Db,
  billing: BillingConfig,
  period: BillingPeriod,
  scope: {
    customers: string[] | null;
    subscriptions: readonly {
      id: string;
      customer_id: string;
      plan_code: string;
      starts_on: string;
      ends_on: string | null;
    }[];
  },
): Promise<UsageRow[]> {
  const metricsOf = (planCode: string) =>
    billing.plans.get(planCode)?.components.flatMap((component) => component.metric ?? []) ?? [];
  const byCustomer = new Map<string, (typeof scope.subscriptions)[number][]>();
  for (const row of scope.subscriptions) {
    byCustomer.set(row.customer_id, [...(byCustomer.get(row.customer_id) ?? []), row]);
  }
  const split = new Set<string>();
  const pricedBy = new Map<string, string>(); // `${customer}:${metric}` → subscription id
  for (const [customerId, rows] of byCustomer) {
    const partial = rows.some(
      (row) => row.starts_on > period.start || (row.ends_on !== null && row.ends_on < period.end),
    );
    for (const row of rows) {
      for (const metric of metricsOf(row.plan_code)) {
        const key = `${customerId}:${metric}`;
        if (pricedBy.has(key)) split.add(customerId);
        pricedBy.set(key, row.id);
      }
    }
    if (partial) split.add(customerId);
  }

  const zone = billing.timezone;
  const inPeriod = sql<boolean>`u.occurred_at >= (${period.start}::date::timestamp at time zone ${zone})
    and u.occurred_at < (${period.end}::date::timestamp at time zone ${zone})`;
  const splitIds = [...split];
  const simpleScope =
    scope.customers === null
      ? sql<boolean>`u.customer_id <> all(${splitIds}::uuid[])`
      : sql<boolean>`u.customer_id = any(${scope.customers.filter((id) => !split.has(id))}::uuid[])`;
  const { rows: simple } = await sql<Omit<UsageRow, 'subscription_id'>>`
    select u.customer_id, u.metric, sum(u.quantity)::text as quantity, count(*)::int as events
    from usage_records u
    where ${inPeriod} and ${simpleScope}
    group by u.customer_id, u.metric
  `.execute(db);
  const rows: UsageRow[] = simple.map((row) => ({
    ...row,
    subscription_id: pricedBy.get(`${row.customer_id}:${row.metric}`) ?? null,
  }));
  if (splitIds.length === 0) return rows;

  const priced = [...billing.plans.values()].flatMap((plan) =>
    metricsOf(plan.code).map((metric) => ({ plan: plan.code, metric })),
  );
  const { rows: splitRows } = await sql<UsageRow>`
    with priced (plan_code, metric) as (
      select * from unnest(${priced.map((entry) => entry.plan)}::text[], ${priced.map((entry) => entry.metric)}::text[])
    )
    select u.customer_id, u.metric, s.id as subscription_id, sum(u.quantity)::text as quantity,
      count(*)::int as events
    from usage_records u
    left join (subscriptions s join priced p on p.plan_code = s.plan_code)
      on s.customer_id = u.customer_id
      and p.metric = u.metric
      and u.occurred_at >= (s.starts_on::timestamp at time zone ${zone})
      and (s.ends_on is null or u.occurred_at < (s.ends_on::timestamp at time zone ${zone}))
    where ${inPeriod} and u.customer_id = any(${splitIds}::uuid[])
    group by u.customer_id, u.metric, s.id
  `.execute(db);
  return [...rows, ...splitRows];
}
