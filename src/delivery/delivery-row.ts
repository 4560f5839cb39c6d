import type { Kysely } from 'kysely';
import type { Database, DeliveryState } from '../db/schema.ts';

// The deliveries ledger as the delivery use cases read it.

export interface DeliveryRow {
  id: string;
  invoiceId: string;
  kind: 'invoice' | 'reminder' | 'credit_note';
  state: DeliveryState;
  recipients: string[];
  cc: string[];
  messageId: string;
  attempts: number;
  error: string | null;
  lastAttemptAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row, or undefined when there is none (including an id that is not a uuid at all). */
export async function loadDelivery(
  db: Kysely<Database>,
  deliveryId: string,
): Promise<DeliveryRow | undefined> {
  if (!UUID.test(deliveryId)) return undefined;
  const row = await db
    .selectFrom('deliveries')
    .select([
      'id',
      'invoice_id',
      'kind',
      'state',
      'recipients',
      'cc',
      'message_id',
      'attempts',
      'error',
      'last_attempt_at',
    ])
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    kind: row.kind,
    state: row.state,
    recipients: row.recipients,
    cc: row.cc,
    messageId: row.message_id,
    attempts: row.attempts,
    error: row.error,
    lastAttemptAt: row.last_attempt_at,
  };
}
