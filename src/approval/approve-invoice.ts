import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { Deps } from '../ports/deps.ts';
import { isApprover } from './approver-check.ts';
import { currentApprovals } from './current-approvals.ts';
import { enqueueDecisionEffects } from './decision-effects.ts';
import { describeInvoiceState, loadDecisionSubject, type InvoiceState } from './decision-subject.ts';

export interface ApproveInvoiceInput {
  invoiceId: string;
  /** The version on the card that was clicked. */
  version: number;
  userId: string;
}

export type ApproveInvoiceResult =
  | { code: 'approved'; invoiceId: string; runId: string | null; approvers: string[] }
  | { code: 'approval_recorded'; invoiceId: string; runId: string | null; remaining: number }
  | { code: 'not_found' }
  | { code: 'not_an_approver' }
  | { code: 'self_approval' }
  | { code: 'already_approved_by_you' }
  | { code: 'blocked'; exceptions: string[] }
  | { code: 'already_decided'; state: InvoiceState }
  | { code: 'stale_card'; state: InvoiceState };

type ApproveDeps = Pick<Deps, 'db' | 'billing' | 'slack' | 'clock'>;

/**
 * One approval of a held invoice. The write is a single compare-and-set on (status, version): of any
 * number of simultaneous clicks exactly one changes the invoice; the others are told what happened.
 * Above the two-approver threshold the first approval is recorded and the invoice keeps waiting.
 */
export async function approveInvoice(
  deps: ApproveDeps,
  input: ApproveInvoiceInput,
): Promise<ApproveInvoiceResult> {
  const subject = await loadDecisionSubject(deps.db, input.invoiceId);
  if (subject === undefined) return { code: 'not_found' };
  if (!(await isApprover(deps, input.userId))) return { code: 'not_an_approver' };
  if (subject.startedBy === `slack:${input.userId}` && !deps.billing.approval.starterMayApprove) {
    return { code: 'self_approval' };
  }
  if (subject.exceptions.length > 0) return { code: 'blocked', exceptions: subject.exceptions };
  if (subject.status !== 'pending_approval') {
    return { code: 'already_decided', state: await describeInvoiceState(deps.db, subject) };
  }
  if (subject.version !== input.version) {
    return { code: 'stale_card', state: await describeInvoiceState(deps.db, subject) };
  }
  const { approvals } = await currentApprovals(deps.db, input.invoiceId);
  if (approvals.some((row) => row.slack_user_id === input.userId)) {
    // NOTE: their own earlier click may have just approved it outright (one approval needed): say that,
    // not that a second approver is awaited.
    const now = await loadDecisionSubject(deps.db, input.invoiceId);
    if (now !== undefined && now.status !== 'pending_approval') {
      return { code: 'already_decided', state: await describeInvoiceState(deps.db, now) };
    }
    return { code: 'already_approved_by_you' };
  }
  const approvers = [...approvals.flatMap((row) => row.slack_user_id ?? []), input.userId];
  const complete = approvers.length >= subject.approvalsRequired;

  const won = await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('invoices')
      .set((eb) => ({
        status: complete ? 'approved' : 'pending_approval',
        version: eb('version', '+', 1),
        updated_at: deps.clock.now(),
      }))
      .where('id', '=', input.invoiceId)
      .where('status', '=', 'pending_approval')
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) return false;
    await trx
      .insertInto('approvals')
      .values({
        invoice_id: input.invoiceId,
        decision: 'approved',
        slack_user_id: input.userId,
        invoice_version: input.version,
        decided_at: deps.clock.now(),
      })
      .execute();
    await enqueueDecisionEffects(trx, deps.clock, input.invoiceId, subject.runId, complete);
    // NOTE: last, so the audit log's lock is held only for the commit.
    await recordAuditEntry(
      trx,
      {
        actor: input.userId,
        action: complete ? 'invoice.approved' : 'invoice.approval_recorded',
        subjectType: 'invoice',
        subjectId: input.invoiceId,
        details: {
          version: input.version,
          approvers,
          required: subject.approvalsRequired,
          total: subject.total,
        },
      },
      deps.clock.now(),
    );
    return true;
  });
  if (!won) {
    // Someone else's decision or approval landed between our read and our write.
    const now = await loadDecisionSubject(deps.db, input.invoiceId);
    const state = await describeInvoiceState(deps.db, now ?? subject);
    return now?.status === 'pending_approval'
      ? { code: 'stale_card', state }
      : { code: 'already_decided', state };
  }
  return complete
    ? { code: 'approved', invoiceId: input.invoiceId, runId: subject.runId, approvers }
    : {
        code: 'approval_recorded',
        invoiceId: input.invoiceId,
        runId: subject.runId,
        remaining: subject.approvalsRequired - approvers.length,
      };
}
