import { markStuckDeliveries } from '../delivery/mark-stuck-deliveries.ts';
import type { Deps } from '../ports/deps.ts';
import { requeueStuckErpSyncs } from '../erp/requeue-stuck-erp-syncs.ts';
import { postDeliveryOutcome } from '../slack/post-invoice-news.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

// NOTE: longer than the slowest send can take (connect 30 s + a server's 10 minutes to answer the data).
const STUCK_AFTER_MS = 15 * 60_000;
// NOTE: an ERP batch run waits on the call budget, so it may take minutes; an hour is surely dead.
const ERP_STUCK_AFTER_MS = 60 * 60_000;

/**
 * Every few minutes: a send left mid-flight by a crash becomes `uncertain` and a person is asked; an
 * ERP posting left mid-flight is queued again (it looks before it creates, so that is safe).
 */
export function sweepSideEffectsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('sweep_side_effects', payload);
    const now = deps.clock.now();
    const stuck = await markStuckDeliveries(deps.db, new Date(now.getTime() - STUCK_AFTER_MS), now);
    for (const delivery of stuck) await postDeliveryOutcome(deps, delivery.deliveryId);
    await requeueStuckErpSyncs(deps.db, new Date(now.getTime() - ERP_STUCK_AFTER_MS), now);
  };
}
