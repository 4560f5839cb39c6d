import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';

// NOTE: summary refreshes are coalesced: every decision within a few seconds shares one chat.update
// (chat.update is Tier 3, ~50/min), while each card is re-rendered right away from the database.
const SUMMARY_REFRESH_DELAY_MS = 3_000;

/**
 * With a decision, in its transaction: re-render the invoice's card, (soon) its run's summary, and
 * when the invoice is now approved, finalize it.
 */
export async function enqueueDecisionEffects(
  trx: Transaction<Database>,
  clock: Clock,
  invoiceId: string,
  runId: string | null,
  approved = false,
): Promise<void> {
  if (approved) await enqueueJob(trx, 'finalize_invoice', { invoiceId }, { jobKey: `finalize:${invoiceId}` });
  await enqueueCardRefresh(trx, invoiceId);
  if (runId !== null) {
    await enqueueJob(
      trx,
      'refresh_run_summary',
      { runId },
      {
        jobKey: `summary:${runId}`,
        jobKeyMode: 'preserve_run_at',
        runAt: new Date(clock.now().getTime() + SUMMARY_REFRESH_DELAY_MS),
      },
    );
  }
}
