import { sql } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { claimSlackRequest, type SlackRequest } from '../events/claim-slack-request.ts';
import type { Deps } from '../ports/deps.ts';
import { isApprover } from './approver-check.ts';
import { approvedThisRoundBy } from './current-approvals.ts';
import { enqueueDecisionEffects } from './decision-effects.ts';

export type ApproveAllResult =
  | { code: 'approved'; approved: number; left: { twoApprovers: number; blocked: number } }
  | { code: 'not_found' }
  | { code: 'not_an_approver' }
  | { code: 'self_approval' }
  /** This click was handled before (a redelivery): nothing changed. */
  | { code: 'duplicate_request' };

/**
 * "Approve all within policy": one person approves every held invoice of a run that one approval
 * settles and nothing blocks. Invoices needing two approvers, blocked ones, and any that another
 * decision reached first are left alone. Each approval is the same compare-and-set as a card's. The
 * click is claimed in the same transaction: a redelivered click approves nothing, not even invoices
 * that came up for approval since.
 */
export async function approveAllWithinPolicy(
  deps: Pick<Deps, 'db' | 'billing' | 'slack' | 'clock'>,
  input: { runId: string; userId: string; request: SlackRequest },
): Promise<ApproveAllResult> {
  const run = await deps.db
    .selectFrom('billing_runs')
    .select(['id', 'started_by'])
    .where('id', '=', input.runId)
    .executeTakeFirst();
  if (run === undefined) return { code: 'not_found' };
  if (!(await isApprover(deps, input.userId))) return { code: 'not_an_approver' };
  if (run.started_by === `slack:${input.userId}` && !deps.billing.approval.starterMayApprove) {
    return { code: 'self_approval' };
  }
  const approved = await deps.db.transaction().execute(async (trx) => {
    if (!(await claimSlackRequest(trx, input.request))) return undefined;
    const rows = await sql<{ id: string; version: number; total: string }>`
      update invoices set status = 'approved', version = version + 1, updated_at = ${deps.clock.now()}
      where run_id = ${input.runId} and status = 'pending_approval' and approvals_required = 1
        and jsonb_array_length(exceptions) = 0
        and not ${approvedThisRoundBy(input.userId)}
      returning id, version - 1 as version, total
    `.execute(trx);
    for (const row of rows.rows) {
      await trx
        .insertInto('approvals')
        .values({
          invoice_id: row.id,
          decision: 'approved',
          slack_user_id: input.userId,
          invoice_version: row.version,
          decided_at: deps.clock.now(),
        })
        .execute();
      await enqueueDecisionEffects(trx, deps.clock, row.id, input.runId, true);
    }
    // NOTE: last, so the audit log's lock is held only for the commit.
    for (const row of rows.rows) {
      await recordAuditEntry(
        trx,
        {
          actor: input.userId,
          action: 'invoice.approved',
          subjectType: 'invoice',
          subjectId: row.id,
          details: { version: row.version, bulk: true, runId: input.runId, total: row.total },
        },
        deps.clock.now(),
      );
    }
    return rows.rows.length;
  });
  if (approved === undefined) return { code: 'duplicate_request' };
  const left = await deps.db
    .selectFrom('invoices')
    .select([
      sql<number>`count(*) filter (where approvals_required = 2 and jsonb_array_length(exceptions) = 0)::int`.as(
        'two',
      ),
      sql<number>`count(*) filter (where jsonb_array_length(exceptions) > 0)::int`.as('blocked'),
    ])
    .where('run_id', '=', input.runId)
    .where('status', 'in', ['pending_approval', 'draft'])
    .executeTakeFirstOrThrow();
  return { code: 'approved', approved, left: { twoApprovers: left.two, blocked: left.blocked } };
}
