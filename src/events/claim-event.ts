import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Records an inbound event id in the caller's transaction; false when it was seen before. Whatever
 * the event causes is written in the same transaction, so a redelivery does nothing twice.
 */
export async function claimEvent(
  trx: Transaction<Database>,
  source: string,
  eventId: string,
): Promise<boolean> {
  const first = await trx
    .insertInto('processed_events')
    .values({ source, event_id: eventId })
    .onConflict((conflict) => conflict.doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return first !== undefined;
}
