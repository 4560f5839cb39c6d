import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { Deps } from '../ports/deps.ts';
import { isApprover } from './approver-check.ts';
import { enqueueDecisionEffects } from './decision-effects.ts';
import { describeInvoiceState, loadDecisionSubject, type InvoiceState } from './decision-subject.ts';

export const MAX_REASON_LENGTH = 1000;

export interface RejectInvoiceInput {
  invoiceId: string;
  version: number;
  userId: string;
  reason: string;
}

export type RejectInvoiceResult =
  | { code: 'rejected'; invoiceId: string; runId: string | null; reason: string }
  | { code: 'not_found' }
  | { code: 'not_an_approver' }
  | { code: 'reason_required' }
  | { code: 'already_decided'; state: InvoiceState }
  | { code: 'stale_card'; state: InvoiceState };

/**
 * Sends a held (or blocked) invoice back with a reason, in one compare-and-set like approval. The
 * person who started the run may reject: stopping an invoice is always the safe direction.
 */
export async function rejectInvoice(
  deps: Pick<Deps, 'db' | 'billing' | 'slack' | 'clock'>,
  input: RejectInvoiceInput,
): Promise<RejectInvoiceResult> {
  const reason = input.reason.trim().slice(0, MAX_REASON_LENGTH);
  if (reason === '') return { code: 'reason_required' };
  const subject = await loadDecisionSubject(deps.db, input.invoiceId);
  if (subject === undefined) return { code: 'not_found' };
  if (!(await isApprover(deps, input.userId))) return { code: 'not_an_approver' };
  const open =
    subject.status === 'pending_approval' || (subject.status === 'draft' && subject.exceptions.length > 0);
  if (!open) return { code: 'already_decided', state: await describeInvoiceState(deps.db, subject) };
  if (subject.version !== input.version) {
    return { code: 'stale_card', state: await describeInvoiceState(deps.db, subject) };
  }

  const won = await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('invoices')
      .set((eb) => ({ status: 'rejected', version: eb('version', '+', 1), updated_at: deps.clock.now() }))
      .where('id', '=', input.invoiceId)
      .where('status', '=', subject.status)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) return false;
    await trx
      .insertInto('approvals')
      .values({
        invoice_id: input.invoiceId,
        decision: 'rejected',
        slack_user_id: input.userId,
        reason,
        invoice_version: input.version,
        decided_at: deps.clock.now(),
      })
      .execute();
    await enqueueDecisionEffects(trx, deps.clock, input.invoiceId, subject.runId);
    // NOTE: last, so the audit log's lock is held only for the commit.
    await recordAuditEntry(
      trx,
      {
        actor: input.userId,
        action: 'invoice.rejected',
        subjectType: 'invoice',
        subjectId: input.invoiceId,
        details: { version: input.version, reason, total: subject.total },
      },
      deps.clock.now(),
    );
    return true;
  });
  if (!won) {
    const now = await loadDecisionSubject(deps.db, input.invoiceId);
    const state = await describeInvoiceState(deps.db, now ?? subject);
    return now?.status === subject.status
      ? { code: 'stale_card', state }
      : { code: 'already_decided', state };
  }
  return { code: 'rejected', invoiceId: input.invoiceId, runId: subject.runId, reason };
}
