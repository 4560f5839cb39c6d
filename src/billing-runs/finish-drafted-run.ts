import type { Transaction } from 'kysely';
import { countDecisions, recordAutoApprovals, type PolicyCounts } from '../approval/draft-decisions.ts';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { Database } from '../db/schema.ts';
import type { Deps } from '../ports/deps.ts';
import { AUDIT_ANCHOR_QUEUE, enqueueJob } from '../queue/enqueue-job.ts';
import type { RunSummary } from './run-summary.ts';
import type { DecidedInvoice } from './write-drafts.ts';

/**
 * What every run does once its decided drafts are written, inside the run's transaction: auto-approved
 * drafts are recorded and queued for finalizing, the summary and cards are queued for Slack, the run
 * records its counts and totals, and the audit log says so (and is anchored once it commits). Returns
 * the run with what the policy decided.
 */
export async function finishDraftedRun(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'billing' | 'clock'>,
  drafted: RunSummary & { id: string },
  decided: readonly DecidedInvoice[],
  periodLabel: string,
): Promise<RunSummary & { id: string; policy: PolicyCounts }> {
  await recordAutoApprovals(
    trx,
    decided.flatMap(({ invoiceId, decision }) => (decision.status === 'approved' ? [invoiceId] : [])),
  );
  const policy = countDecisions(decided.map(({ decision }) => decision));
  const run = { ...drafted, policy };
  await enqueueJob(trx, 'post_run_messages', { runId: run.id });
  await trx
    .updateTable('billing_runs')
    .set({
      status: run.status,
      counts: { ...run.counts },
      totals: JSON.stringify(run.totals),
      completed_at: run.status === 'completed' ? deps.clock.now() : null,
    })
    .where('id', '=', run.id)
    .execute();
  await recordAuditEntry(
    trx,
    {
      actor: run.startedBy,
      action: 'billing_run.drafted',
      subjectType: 'billing_run',
      subjectId: run.id,
      details: {
        period: periodLabel,
        scope: run.scope,
        counts: { ...run.counts },
        policy: { ...policy },
      },
    },
    deps.clock.now(),
  );
  // The chain's head, with this run's entry, is anchored outside the database once the run commits;
  // runs ending together share one anchoring (the job key), which covers them all.
  await enqueueJob(
    trx,
    'anchor_audit_log',
    { reason: 'run_end', runId: run.id },
    {
      queueName: AUDIT_ANCHOR_QUEUE,
      jobKey: 'anchor_audit_log:run_end',
      jobKeyMode: 'preserve_run_at',
      // A broken chain is alerted once, not at every retry; the next anchoring tries again anyway.
      maxAttempts: 1,
    },
  );
  return run;
}
