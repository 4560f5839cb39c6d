import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ErpGateway } from '../ports/erp-gateway.ts';
import { enqueueErpSyncs } from '../queue/enqueue-erp-syncs.ts';

/**
 * Writes a finalized invoice's ERP sync ledger row (its idempotency key fixed now, so every retry
 * carries the same one) and queues it into the provider's next batch. Nothing without an ERP.
 */
export async function queueErpPosting(
  trx: Transaction<Database>,
  erp: ErpGateway | undefined,
  invoiceId: string,
  now: Date,
): Promise<void> {
  if (erp === undefined) return;
  const sync = await trx
    .insertInto('erp_syncs')
    .values({ invoice_id: invoiceId, provider: erp.provider, idempotency_key: randomUUID() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueueErpSyncs(trx, erp.provider, [sync.id], now);
}
