import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface RecordedDecision {
  decision: 'approved' | 'rejected' | 'auto_approved';
  slack_user_id: string | null;
  reason: string | null;
  decided_at: Date;
}

/** The invoice's decisions, oldest first, and the approvals that count now (since its last rejection). */
export async function currentApprovals(
  db: Db,
  invoiceId: string,
): Promise<{
  history: RecordedDecision[];
  approvals: RecordedDecision[];
  lastRejection: RecordedDecision | undefined;
}> {
  const history = await db
    .selectFrom('approvals')
    .select(['decision', 'slack_user_id', 'reason', 'decided_at'])
    .where('invoice_id', '=', invoiceId)
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
  const last = history.findLastIndex((row) => row.decision === 'rejected');
  return {
    history,
    approvals: history.slice(last + 1).filter((row) => row.decision === 'approved'),
    lastRejection: last >= 0 ? history[last] : undefined,
  };
}

/** SQL: true when `userId` approved the row `invoices` since its last rejection (counts for this round). */
export function approvedThisRoundBy(userId: string) {
  return sql<boolean>`exists (
    select 1 from approvals a where a.invoice_id = invoices.id and a.decision = 'approved'
      and a.slack_user_id = ${userId}
      and a.decided_at > coalesce((select max(r.decided_at) from approvals r
        where r.invoice_id = invoices.id and r.decision = 'rejected'), '-infinity'))`;
}
