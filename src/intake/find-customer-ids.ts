import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { chunksOf, textIn } from './batch-queries.ts';
import type { IntakeProblem } from './intake-rows.ts';
import { truncateInput } from './intake-rows.ts';
import type { ValidRow } from './validate-rows.ts';

/** Customer ids by external id, for the external ids that exist. */
export async function findCustomerIds(
  db: Kysely<Database>,
  externalIds: Iterable<string>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const chunk of chunksOf([...new Set(externalIds)], 5000)) {
    const found = await db
      .selectFrom('customers')
      .select(['id', 'external_id'])
      .where(textIn('external_id', chunk))
      .execute();
    for (const customer of found) ids.set(customer.external_id, customer.id);
  }
  return ids;
}

/** A problem for each row whose `customer` names no customer in the database. */
export function unknownCustomerProblems<T extends { customer: string }>(
  rows: readonly ValidRow<T>[],
  customerIds: ReadonlyMap<string, string>,
): IntakeProblem[] {
  return rows
    .filter(({ value }) => !customerIds.has(value.customer))
    .map(({ row, value }) => ({
      row,
      field: 'customer',
      message: `expected the external id of an existing customer (import customers first), got ${JSON.stringify(truncateInput(value.customer))}, which no customer has`,
    }));
}
