import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, JsonObject } from '../db/schema.ts';
import { chunksOf, textIn } from './batch-queries.ts';
import { CUSTOMER_COLUMNS, customerRowSchema, type CustomerRow } from './customer-row-schema.ts';
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
import { findRepeatedKeys, validateRows } from './validate-rows.ts';

/** The customer columns intake owns; ERP contact ids and timestamps are left alone. */
interface CustomerValues {
  external_id: string;
  name: string;
  email_to: string[];
  email_cc: string[];
  currency: string;
  payment_terms: string | null;
  tax_profile: string | null;
  tax_id: string | null;
  billing_address: JsonObject;
  timezone: string;
  hold_for_review: boolean;
  reminders_opt_out: boolean;
}

const CUSTOMER_VALUE_COLUMNS = [
  'external_id',
  'name',
  'email_to',
  'email_cc',
  'currency',
  'payment_terms',
  'tax_profile',
  'tax_id',
  'billing_address',
  'timezone',
  'hold_for_review',
  'reminders_opt_out',
] as const satisfies readonly (keyof CustomerValues)[];

/**
 * Creates or updates customers by external_id. Each row is the customer's whole record: an empty field
 * clears it. Rows that match the database are counted unchanged and not written, so a second import of
 * the same file changes nothing.
 */
export async function importCustomers(
  db: Db,
  rows: readonly SourceRow[],
  options: ImportOptions,
): Promise<IntakeOutcome<UpsertCounts>> {
  const { valid, problems } = validateRows(rows, customerRowSchema(options.catalog), {
    noun: 'customer',
    columns: CUSTOMER_COLUMNS,
  });
  problems.push(
    ...findRepeatedKeys(valid, {
      key: (customer) => customer.external_id,
      field: 'external_id',
      rowLabel: options.rowLabel ?? csvRowLabel,
      rule: 'each customer may appear only once in a file',
    }),
  );
  if (problems.length > 0 && options.skipInvalid !== true) return rejectRows(rows.length, problems);
  const customers = withoutProblems(valid, problems).map(({ value }) => customerValues(value));
  const counts = await db.transaction().execute((trx) => upsertCustomers(trx, customers));
  return importedRows(rows.length, counts, problems);
}

function customerValues(row: CustomerRow): CustomerValues {
  return {
    external_id: row.external_id,
    name: row.name,
    email_to: row.email_to,
    email_cc: row.email_cc,
    currency: row.currency,
    payment_terms: row.payment_terms ?? null,
    tax_profile: row.tax_profile ?? null,
    tax_id: row.tax_id ?? null,
    billing_address: {
      line1: row.address_line1 ?? null,
      line2: row.address_line2 ?? null,
      city: row.city ?? null,
      region: row.region ?? null,
      postal_code: row.postal_code ?? null,
      country: row.country ?? null,
    },
    timezone: row.timezone,
    hold_for_review: row.hold_for_review,
    reminders_opt_out: row.reminders_opt_out,
  };
}

async function upsertCustomers(
  trx: Transaction<Database>,
  customers: readonly CustomerValues[],
): Promise<UpsertCounts> {
  const existing = new Map<string, CustomerValues>();
  for (const ids of chunksOf(
    customers.map((customer) => customer.external_id),
    5000,
  )) {
    const found = await trx
      .selectFrom('customers')
      .select(CUSTOMER_VALUE_COLUMNS)
      .where(textIn('external_id', ids))
      .forUpdate()
      .execute();
    for (const customer of found) existing.set(customer.external_id, customer);
  }

  const { counts, changed } = classifyUpserts(
    customers,
    (row) => existing.get(row.external_id),
    sameCustomer,
  );

  for (const chunk of chunksOf(changed, 500)) {
    await trx
      .insertInto('customers')
      .values(chunk)
      .onConflict((conflict) =>
        conflict.column('external_id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          email_to: eb.ref('excluded.email_to'),
          email_cc: eb.ref('excluded.email_cc'),
          currency: eb.ref('excluded.currency'),
          payment_terms: eb.ref('excluded.payment_terms'),
          tax_profile: eb.ref('excluded.tax_profile'),
          tax_id: eb.ref('excluded.tax_id'),
          billing_address: eb.ref('excluded.billing_address'),
          timezone: eb.ref('excluded.timezone'),
          hold_for_review: eb.ref('excluded.hold_for_review'),
          reminders_opt_out: eb.ref('excluded.reminders_opt_out'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .execute();
  }
  return counts;
}

function sameCustomer(a: CustomerValues, b: CustomerValues): boolean {
  return CUSTOMER_VALUE_COLUMNS.every((column) => canonicalJson(a[column]) === canonicalJson(b[column]));
}

/** JSON with object keys sorted: jsonb does not keep key order, so compare in one order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
