import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.ts';

// Rows for tests, with sensible defaults; each returns the inserted id.

export async function insertCustomer(
  db: Db,
  fields: Partial<{
    external_id: string;
    name: string;
    currency: string;
    email_to: string[];
    tax_profile: string | null;
    payment_terms: string | null;
  }> = {},
): Promise<string> {
  const externalId = fields.external_id ?? `cus_${randomUUID().slice(0, 8)}`;
  const row = await db
    .insertInto('customers')
    .values({
      external_id: externalId,
      name: fields.name ?? `Customer ${externalId}`,
      currency: fields.currency ?? 'GBP',
      email_to: fields.email_to ?? [`billing@${externalId}.example`],
      tax_profile: fields.tax_profile === undefined ? 'gb_vat' : fields.tax_profile,
      payment_terms: fields.payment_terms ?? null,
      billing_address: {},
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertSubscription(
  db: Db,
  customerId: string,
  fields: Partial<{
    external_id: string;
    plan_code: string;
    starts_on: string;
    ends_on: string | null;
    discount_percent: string | null;
    discount_amount: string | null;
    prorate: boolean;
  }> = {},
): Promise<string> {
  const row = await db
    .insertInto('subscriptions')
    .values({
      external_id: fields.external_id ?? `sub_${randomUUID().slice(0, 8)}`,
      customer_id: customerId,
      plan_code: fields.plan_code ?? 'starter',
      starts_on: fields.starts_on ?? '2026-01-01',
      ends_on: fields.ends_on ?? null,
      discount_percent: fields.discount_percent ?? null,
      discount_amount: fields.discount_amount ?? null,
      prorate: fields.prorate ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertUsage(
  db: Db,
  customerId: string,
  metric: string,
  quantity: string,
  occurredAt: string,
  eventId: string = randomUUID(),
): Promise<void> {
  await db
    .insertInto('usage_records')
    .values({
      event_id: eventId,
      customer_id: customerId,
      metric,
      quantity,
      occurred_at: occurredAt,
      source: 'test',
      properties: {},
    })
    .execute();
}
