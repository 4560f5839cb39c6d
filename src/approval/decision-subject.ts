import type { Db } from '../db/database.ts';
import type { InvoiceStatus } from '../db/schema.ts';
import { currentApprovals } from './current-approvals.ts';

/** What a decision needs to know about an invoice. */
export interface DecisionSubject {
  id: string;
  runId: string | null;
  status: InvoiceStatus;
  version: number;
  approvalsRequired: number;
  total: string;
  currency: string;
  customerName: string;
  /** Who started the invoice's run: `slack:U…`, `cli:…`, `schedule:…`. */
  startedBy: string | null;
  exceptions: string[];
}

export async function loadDecisionSubject(db: Db, invoiceId: string): Promise<DecisionSubject | undefined> {
  const row = await db
    .selectFrom('invoices')
    .leftJoin('billing_runs', 'billing_runs.id', 'invoices.run_id')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.run_id',
      'invoices.status',
      'invoices.version',
      'invoices.approvals_required',
      'invoices.total',
      'invoices.currency',
      'invoices.exceptions',
      'billing_runs.started_by',
      'customers.name',
    ])
    .where('invoices.id', '=', invoiceId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    runId: row.run_id,
    status: row.status,
    version: row.version,
    approvalsRequired: row.approvals_required,
    total: row.total,
    currency: row.currency,
    customerName: row.name,
    startedBy: row.started_by,
    exceptions: (row.exceptions as { message?: unknown }[]).map((exception) =>
      typeof exception.message === 'string' ? exception.message : 'exception',
    ),
  };
}

/** Where an invoice stands, for telling the loser of a race who decided and when. */
export interface InvoiceState {
  status: InvoiceStatus;
  version: number;
  /** The latest person's decision, if any. */
  lastDecision: { decision: string; userId: string | null; at: Date; reason: string | null } | undefined;
}

export async function describeInvoiceState(
  db: Db,
  subject: Pick<DecisionSubject, 'id' | 'status' | 'version'>,
): Promise<InvoiceState> {
  const { history } = await currentApprovals(db, subject.id);
  const last = history.at(-1);
  return {
    status: subject.status,
    version: subject.version,
    lastDecision:
      last === undefined
        ? undefined
        : { decision: last.decision, userId: last.slack_user_id, at: last.decided_at, reason: last.reason },
  };
}
