import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * A run's status follows its invoices: awaiting approval while any of them waits for a decision, and
 * completed once none does (again awaiting when a fixed invoice comes back for review). A run still
 * drafting, or failed, is left as it is. Returns the status it has now, if the run exists.
 */
export async function settleRunStatus(db: Db, runId: string): Promise<string | undefined> {
  const waiting = sql<boolean>`exists (
    select 1 from invoices where invoices.run_id = billing_runs.id and invoices.status = 'pending_approval'
  )`;
  const row = await db
    .updateTable('billing_runs')
    .set({
      status: sql`case when ${waiting} then 'awaiting_approval' else 'completed' end`,
      completed_at: sql`case when ${waiting} then null else coalesce(billing_runs.completed_at, now()) end`,
    })
    .where('id', '=', runId)
    .where('status', 'in', ['awaiting_approval', 'completed'])
    .returning('status')
    .executeTakeFirst();
  if (row !== undefined) return row.status;
  const run = await db.selectFrom('billing_runs').select('status').where('id', '=', runId).executeTakeFirst();
  return run?.status;
}
