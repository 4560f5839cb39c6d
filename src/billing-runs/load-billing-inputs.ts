import { sql } from 'kysely';
import { loadApprovalFacts, type ApprovalFacts } from '../approval/draft-decisions.ts';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import type { SubscriptionsTable } from '../db/schema.ts';
import { eventLoopBudget } from './event-loop-budget.ts';
import { Decimal } from '../money/decimal.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import {
  customerToBill,
  type CustomerToBill,
  type SubscriptionToBill,
  type UsageTotal,
} from './draft-invoice.ts';
import type { RunScope } from '../billing-config/run-scope.ts';

export interface CustomerInputs {
  customer: CustomerToBill;
  subscriptions: SubscriptionToBill[];
  usage: UsageTotal[];
  /** What the approval policy weighs besides the draft (hold flag, last recurring invoice). */
  approval: ApprovalFacts;
}

export interface BillingInputs {
  customers: CustomerInputs[];
  /**
   * Customers already invoiced for an overlapping period (by any run, not voided; a one-off order's
   * invoice does not count): customer id → run id.
   */
  alreadyInvoiced: Map<string, string>;
  /** The customers in scope (database ids); null for all of them. */
  customerIds: string[] | null;
}

const NO_FACTS: ApprovalFacts = { customerOnHold: false, previousTotal: null };

/**
 * Everything a run needs. The queries run side by side when `db` is the pool (a transaction would
 * queue them): the usage GROUP BY, the longest, overlaps the rest. NOTE: usage is summed in Postgres,
 * one row per (customer, metric, subscription that prices it), so a million events never cross into Node.
 */
export async function loadBillingInputs(
  db: Db,
  billing: BillingConfig,
  period: BillingPeriod,
  scope: RunScope,
): Promise<BillingInputs> {
  const listed = scope.customers === 'all' ? null : [...new Set(scope.customers)];
  const customerIds =
    listed === null
      ? null
      : (await db.selectFrom('customers').select('id').where('external_id', 'in', listed).execute()).map(
          (row) => row.id,
        );
  const inScope =
    customerIds === null ? sql<boolean>`true` : sql<boolean>`customer_id = any(${customerIds}::uuid[])`;

  const usage = sumUsage(db, billing, period, customerIds);
  const [customers, subscriptions, invoiced, approval] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['id', 'external_id', 'name', 'currency', 'email_to', 'payment_terms', 'tax_profile', 'tax_id'])
      .$if(customerIds !== null, (query) => query.where('id', '=', sql<string>`any(${customerIds}::uuid[])`))
      .orderBy('external_id')
      .execute(),
    db
      .selectFrom('subscriptions')
      .select([
        'id',
        'customer_id',
        'external_id',
        'plan_code',
        'starts_on',
        'ends_on',
        'discount_percent',
        'discount_amount',
        'prorate',
      ])
      .where(inScope)
      .where('starts_on', '<', period.end)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', period.start)]))
      .orderBy('starts_on')
      .orderBy('id')
      .execute(),
    alreadyInvoicedIn(db, period, customerIds),
    loadApprovalFacts(db, customerIds ?? 'all', 'recurring'),
  ]);
  const usageRows = await usage.bySubscription(subscriptions);

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
      approval: approval.get(customerId) ?? NO_FACTS,
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
  for (const row of usageRows) {
    await budget.pause();
    entryFor(row.customer_id)?.usage.push({
      subscriptionId: row.subscription_id,
      metric: row.metric,
      quantity: new Decimal(row.quantity),
      events: row.events,
    });
  }

  return {
    // Customers come ordered by external id, and entries are created in subscription then usage order.
    customers: customers.flatMap((row) => byCustomer.get(row.id) ?? []),
    alreadyInvoiced: invoiced,
    customerIds,
  };
}

/**
 * Customers in scope already invoiced for a period overlapping this one (by any run, not voided; a
 * one-off order's invoice does not count): customer id → run id.
 */
export async function alreadyInvoicedIn(
  db: Db,
  period: BillingPeriod,
  customerIds: string[] | null,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('invoices')
    .select(['customer_id', 'run_id'])
    .where('run_id', 'is not', null)
    .where('origin', 'is', null)
    .where('status', '<>', 'void')
    .where('period_start', '<', period.end)
    .where('period_end', '>', period.start)
    .$if(customerIds !== null, (query) =>
      query.where('customer_id', '=', sql<string>`any(${customerIds}::uuid[])`),
    )
    .execute();
  return new Map(rows.map((row) => [row.customer_id, row.run_id ?? '']));
}

interface UsageRow {
  customer_id: string;
  metric: string;
  subscription_id: string | null;
  quantity: string;
  events: number;
}

type SubscriptionRow = Pick<SubscriptionsTable, 'customer_id' | 'plan_code' | 'starts_on' | 'ends_on'> & {
  id: string;
};

/**
 * Usage per (customer, metric, subscription that prices it). One plain GROUP BY per (customer, metric)
 * starts at once, before subscriptions are known; `bySubscription` then matches each total to the
 * subscription whose plan prices it. NOTE: only customers with a subscription starting or ending inside
 * the period (or two pricing the same metric) need usage split by dates: their totals are replaced by
 * a second query that joins each event to the subscription active when it happened.
 */
function sumUsage(db: Db, billing: BillingConfig, period: BillingPeriod, customerIds: string[] | null) {
  const zone = billing.timezone;
  const inPeriod = sql<boolean>`u.occurred_at >= (${period.start}::date::timestamp at time zone ${zone})
    and u.occurred_at < (${period.end}::date::timestamp at time zone ${zone})`;
  const plain = sql<Omit<UsageRow, 'subscription_id'>>`
    select u.customer_id, u.metric, sum(u.quantity)::text as quantity, count(*)::int as events
    from usage_records u
    where ${inPeriod}
      and ${customerIds === null ? sql`true` : sql`u.customer_id = any(${customerIds}::uuid[])`}
    group by u.customer_id, u.metric
  `.execute(db);
  plain.catch(() => undefined); // awaited in bySubscription; this only avoids an unhandled rejection meanwhile

  const metricsOf = (planCode: string) =>
    billing.plans.get(planCode)?.components.flatMap((component) => component.metric ?? []) ?? [];

  const bySubscription = async (subscriptions: readonly SubscriptionRow[]): Promise<UsageRow[]> => {
    const byCustomer = new Map<string, SubscriptionRow[]>();
    for (const row of subscriptions) {
      const rows = byCustomer.get(row.customer_id);
      if (rows === undefined) byCustomer.set(row.customer_id, [row]);
      else rows.push(row);
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

    const rows: UsageRow[] = [];
    for (const row of (await plain).rows) {
      if (split.has(row.customer_id)) continue;
      rows.push({ ...row, subscription_id: pricedBy.get(`${row.customer_id}:${row.metric}`) ?? null });
    }
    if (split.size === 0) return rows;

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
      where ${inPeriod} and u.customer_id = any(${[...split]}::uuid[])
      group by u.customer_id, u.metric, s.id
    `.execute(db);
    return [...rows, ...splitRows];
  };
  return { bySubscription };
}
