import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { Decimal } from '../money/decimal.ts';
import { chunksOf, textIn } from './batch-queries.ts';
import { findCustomerIds, unknownCustomerProblems } from './find-customer-ids.ts';
import type { ImportOptions } from './import-options.ts';
import {
  classifyUpserts,
  importedRows,
  rejectRows,
  withoutProblems,
  type IntakeOutcome,
  type UpsertCounts,
} from './intake-outcome.ts';
import { csvRowLabel, type SourceRow } from './intake-rows.ts';
import { SUBSCRIPTION_COLUMNS, subscriptionRowSchema } from './subscription-row-schema.ts';
import { findRepeatedKeys, validateRows } from './validate-rows.ts';

interface SubscriptionValues {
  external_id: string;
  customer_id: string;
  plan_code: string;
  starts_on: string;
  ends_on: string | null;
  discount_percent: string | null;
  discount_amount: string | null;
  prorate: boolean;
}

/**
 * Creates or updates subscriptions by external_id (the idempotency key). The customer must already exist;
 * the plan must be in billing.yml. Unchanged rows are not written.
 */
export async function importSubscriptions(
  db: Db,
  rows: readonly SourceRow[],
  options: ImportOptions,
): Promise<IntakeOutcome<UpsertCounts>> {
  const { valid, problems } = validateRows(rows, subscriptionRowSchema(options.catalog), {
    noun: 'subscription',
    columns: SUBSCRIPTION_COLUMNS,
  });
  return db.transaction().execute(async (trx) => {
    const customerIds = await findCustomerIds(
      trx,
      valid.map(({ value }) => value.customer),
    );
    problems.push(...unknownCustomerProblems(valid, customerIds));
    problems.push(
      ...findRepeatedKeys(valid, {
        key: (subscription) => subscription.external_id,
        field: 'external_id',
        rowLabel: options.rowLabel ?? csvRowLabel,
        rule: 'each subscription may appear only once in a file',
      }),
    );
    if (problems.length > 0 && options.skipInvalid !== true) return rejectRows(rows.length, problems);
    const subscriptions = withoutProblems(valid, problems).flatMap(({ value }): SubscriptionValues[] => {
      const customerId = customerIds.get(value.customer);
      if (customerId === undefined) return [];
      return [
        {
          external_id: value.external_id,
          customer_id: customerId,
          plan_code: value.plan,
          starts_on: value.starts_on,
          ends_on: value.ends_on ?? null,
          discount_percent: value.discount_percent?.toFixed() ?? null,
          discount_amount: value.discount_amount?.toFixed() ?? null,
          prorate: value.prorate,
        },
      ];
    });
    return importedRows(rows.length, await upsertSubscriptions(trx, subscriptions), problems);
  });
}

async function upsertSubscriptions(
  trx: Transaction<Database>,
  subscriptions: readonly SubscriptionValues[],
): Promise<UpsertCounts> {
  const existing = new Map<string, SubscriptionValues>();
  for (const ids of chunksOf(
    subscriptions.map((subscription) => subscription.external_id),
    5000,
  )) {
    const found = await trx
      .selectFrom('subscriptions')
      .select([
        'external_id',
        'customer_id',
        'plan_code',
        'starts_on',
        'ends_on',
        'discount_percent',
        'discount_amount',
        'prorate',
      ])
      .where(textIn('external_id', ids))
      .forUpdate()
      .execute();
    for (const subscription of found) {
      if (subscription.external_id !== null)
        existing.set(subscription.external_id, { ...subscription, external_id: subscription.external_id });
    }
  }

  const { counts, changed } = classifyUpserts(
    subscriptions,
    (row) => existing.get(row.external_id),
    sameSubscription,
  );

  for (const chunk of chunksOf(changed, 500)) {
    await trx
      .insertInto('subscriptions')
      .values(chunk)
      .onConflict((conflict) =>
        conflict.column('external_id').doUpdateSet((eb) => ({
          customer_id: eb.ref('excluded.customer_id'),
          plan_code: eb.ref('excluded.plan_code'),
          starts_on: eb.ref('excluded.starts_on'),
          ends_on: eb.ref('excluded.ends_on'),
          discount_percent: eb.ref('excluded.discount_percent'),
          discount_amount: eb.ref('excluded.discount_amount'),
          prorate: eb.ref('excluded.prorate'),
        })),
      )
      .execute();
  }
  return counts;
}

function sameSubscription(a: SubscriptionValues, b: SubscriptionValues): boolean {
  return (
    a.customer_id === b.customer_id &&
    a.plan_code === b.plan_code &&
    a.starts_on === b.starts_on &&
    a.ends_on === b.ends_on &&
    a.prorate === b.prorate &&
    sameDecimal(a.discount_percent, b.discount_percent) &&
    sameDecimal(a.discount_amount, b.discount_amount)
  );
}

/** numeric keeps the scale it was given ("10.0" vs "10"); equal amounts are the same discount. */
function sameDecimal(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return new Decimal(a).equals(b);
}
