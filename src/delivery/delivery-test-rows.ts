import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DeliveriesTable } from '../db/schema.ts';

// Rows for the delivery tests: a customer, an invoice and its delivery, with sensible defaults.

export async function insertInvoiceDelivery(
  db: Db,
  fields: Partial<Insertable<DeliveriesTable>> = {},
): Promise<{ deliveryId: string; invoiceId: string; messageId: string }> {
  const customer = await db
    .insertInto('customers')
    .values({
      external_id: `cus_${randomUUID()}`,
      name: 'Customer Ltd',
      currency: 'GBP',
      billing_address: {},
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const invoice = await db
    .insertInto('invoices')
    .values({ customer_id: customer.id, currency: 'GBP' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const messageId = `<invoice-${invoice.id}@seller.example>`;
  const delivery = await db
    .insertInto('deliveries')
    .values({
      invoice_id: invoice.id,
      dedupe_key: `invoice:${invoice.id}`,
      recipients: ['ap@customer.example'],
      cc: ['cfo@customer.example'],
      message_id: messageId,
      ...fields,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { deliveryId: delivery.id, invoiceId: invoice.id, messageId };
}

export async function deliveryRow(db: Db, deliveryId: string) {
  return db.selectFrom('deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();
}

export async function auditEntriesOf(db: Db, subjectId: string) {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'details'])
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
}
