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

/**
 * An approved invoice ready to finalize: two lines (60.00 and 40.00) plus tax at `taxRate`, each
 * mapped to `accountCode` and the ERP's `taxCode`.
 */
export async function insertApprovedInvoice(
  db: Db,
  fields: {
    customerId: string;
    taxRate: number;
    taxCode: string;
    itemCode: string | null;
    accountCode: string;
    source?: { subscriptionId: string; componentCode: string } | undefined;
  },
): Promise<string> {
  const rate = fields.taxRate;
  const invoice = await db
    .insertInto('invoices')
    .values({
      customer_id: fields.customerId,
      currency: 'GBP',
      status: 'approved',
      subtotal: '100.00',
      tax_total: `${rate}.00`,
      total: `${100 + rate}.00`,
      issue_date: '2026-11-03',
      due_date: '2026-12-03',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const line = (position: number, amount: string, tax: string) => ({
    invoice_id: invoice.id,
    position,
    description: `Line ${position + 1}`,
    quantity: '1',
    unit_amount: amount,
    amount,
    tax_rate: String(rate),
    tax_amount: tax,
    gl_account_code: fields.accountCode,
    erp_item_code: fields.itemCode,
    tax_code: fields.taxCode,
    subscription_id: fields.source?.subscriptionId ?? null,
    component_code: fields.source?.componentCode ?? null,
    calculation: {
      model: 'flat',
      quantity: '1',
      steps: [],
      exactAmount: amount,
      discounts: [],
      tax: { kind: 'standard', rate: String(rate), label: `Tax ${rate}%`, inclusive: false },
    },
  });
  // NOTE: whole-percent rates on 60.00 and 40.00 give exact cents: rate × 0.6 and rate × 0.4.
  const cents = (share: number) => `${Math.floor((rate * share) / 10)}.${String((rate * share) % 10)}0`;
  await db
    .insertInto('invoice_lines')
    .values([line(0, '60.00', cents(6)), line(1, '40.00', cents(4))])
    .execute();
  return invoice.id;
}
