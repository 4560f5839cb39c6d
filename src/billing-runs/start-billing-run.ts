import type { Transaction } from 'kysely';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Db } from '../db/database.ts';
import type { BillingRunStatus, BillingRunTrigger, Database } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { eventLoopBudget } from '../jobs/event-loop-budget.ts';
import type { BillingPeriod } from './billing-period.ts';
import { draftInvoice, type DraftInvoice } from './draft-invoice.ts';
import { loadBillingInputs } from './load-billing-inputs.ts';
import { findRunSummary } from './find-run-summary.ts';
import { finishDraftedRun } from './finish-drafted-run.ts';
import { describeScope, runKeyFor, type RunScope } from './run-scope.ts';
import {
  summarizeDraft,
  totalsByCurrency,
  type DraftSummary,
  type RunCounts,
  type RunSummary,
} from './run-summary.ts';
import { saveDrafts } from './save-drafts.ts';

export interface StartBillingRunInput {
  period: BillingPeriod;
  scope: RunScope;
  trigger: BillingRunTrigger;
  /** `slack:U123`, `cli:<user>`, `schedule:<name>`, `webhook:<source>`: shown and audited. */
  startedBy: string;
  /** Price everything and report, writing nothing. */
  dryRun?: boolean;
}

export type StartBillingRunResult =
  | { ok: true; outcome: 'created' | 'existing' | 'dry_run'; run: RunSummary }
  | { ok: false; code: 'unknown_customers'; customers: string[]; message: string };

const BATCH = 1_000;

export type RunDeps = Pick<Deps, 'db' | 'billing' | 'clock'>;

/**
 * Creates the run for (scope, period) and drafts one invoice per customer in one transaction.
 * Asking again for the same scope and period returns that run unchanged, whoever asks.
 */
export async function startBillingRun(
  deps: RunDeps,
  input: StartBillingRunInput,
): Promise<StartBillingRunResult> {
  const key = runKeyFor(input.scope);
  const existing = await findRunSummary(deps.db, key, input.period);
  if (existing !== undefined) return { ok: true, outcome: 'existing', run: existing };
  const missing = await unknownCustomers(deps.db, input.scope);
  if (missing.length > 0) {
    return {
      ok: false,
      code: 'unknown_customers',
      customers: missing,
      message: `No customer has the id ${missing.map((id) => `"${id}"`).join(', ')}; check the ids or import the customers first`,
    };
  }
  if (input.dryRun === true)
    return { ok: true, outcome: 'dry_run', run: await draftRun(deps, deps.db, input) };

  return deps.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('billing_runs')
      .values({
        trigger: input.trigger,
        trigger_key: key,
        period_start: input.period.start,
        period_end: input.period.end,
        scope: { customers: input.scope.customers === 'all' ? 'all' : [...input.scope.customers] },
        started_by: input.startedBy,
        counts: {},
        totals: {},
      })
      // NOTE: a concurrent caller's insert makes ours wait for its commit, then conflict: theirs is the run.
      .onConflict((conflict) => conflict.columns(['trigger_key', 'period_start', 'period_end']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
    if (created === undefined) {
      const theirs = await findRunSummary(trx, key, input.period);
      if (theirs === undefined) throw new Error(`Billing run ${key} for ${input.period.label} disappeared`);
      return { ok: true, outcome: 'existing', run: theirs } as const;
    }
    const drafted = await draftRun(deps, trx, input, { trx, runId: created.id });
    const run = await finishDraftedRun(trx, deps, { ...drafted, id: created.id }, input.period.label);
    return { ok: true, outcome: 'created', run } as const;
  });
}

/**
 * Loads, prices and (with a run id) saves; without one it is a dry run that writes nothing.
 * NOTE: drafts are saved in batches while the next batch is priced, so Postgres and pricing overlap;
 * the loop yields to the event loop every few milliseconds so Slack requests are acked meanwhile.
 */
async function draftRun(
  deps: RunDeps,
  db: Db,
  input: StartBillingRunInput,
  save?: { trx: Transaction<Database>; runId: string },
): Promise<RunSummary> {
  const inputs = await loadBillingInputs(db, deps.billing, input.period, input.scope);
  const issueDate = todayIn(deps.billing.timezone, deps.clock.now());
  const kept: { draft: DraftInvoice; invoiceId: string | null }[] = [];
  const writes: Promise<void>[] = [];
  let nothingToBill = 0;
  let alreadyInvoiced = 0;
  const budget = eventLoopBudget();
  const flush = (batch: DraftInvoice[]) => {
    if (save === undefined) {
      kept.push(...batch.map((draft) => ({ draft, invoiceId: null })));
      return;
    }
    const write = saveDrafts(save.trx, save.runId, input.period, batch).then(({ saved, lost }) => {
      for (const draft of batch) {
        const invoiceId = saved.get(draft.customer.id);
        if (invoiceId !== undefined) kept.push({ draft, invoiceId });
      }
      alreadyInvoiced += lost.length;
    });
    write.catch(() => undefined); // surfaced by Promise.all below; this only avoids an unhandled rejection
    writes.push(write);
  };
  let batch: DraftInvoice[] = [];
  for (const customer of inputs.customers) {
    await budget.pause();
    if (inputs.alreadyInvoiced.has(customer.customer.id)) {
      alreadyInvoiced += 1;
      continue;
    }
    const outcome = draftInvoice({ billing: deps.billing, period: input.period, issueDate, ...customer });
    if (outcome.kind === 'nothing_to_bill') {
      nothingToBill += 1;
      continue;
    }
    batch.push(outcome.draft);
    if (batch.length === BATCH) {
      flush(batch);
      batch = [];
    }
  }
  flush(batch);
  await Promise.all(writes);

  const drafts = kept.map(({ draft }) => draft);
  const invoices: DraftSummary[] = [];
  for (const { draft, invoiceId } of kept) {
    await budget.pause();
    invoices.push(summarizeDraft(draft, invoiceId));
  }
  const counts: RunCounts = {
    customers: inputs.customers.length,
    drafted: drafts.length,
    withExceptions: drafts.filter((draft) => draft.exceptions.length > 0).length,
    nothingToBill,
    alreadyInvoiced,
  };
  const status: BillingRunStatus = drafts.length > 0 ? 'awaiting_approval' : 'completed';
  return {
    id: save?.runId ?? null,
    trigger: input.trigger,
    period: { start: input.period.start, end: input.period.end },
    scope: describeScope(input.scope),
    status,
    startedBy: input.startedBy,
    createdAt: deps.clock.now(),
    counts,
    totals: totalsByCurrency(drafts),
    invoices,
  };
}

async function unknownCustomers(db: Db, scope: RunScope): Promise<string[]> {
  if (scope.customers === 'all' || scope.customers.length === 0) return [];
  const found = await db
    .selectFrom('customers')
    .select('external_id')
    .where('external_id', 'in', [...scope.customers])
    .execute();
  const known = new Set(found.map((row) => row.external_id));
  return [...new Set(scope.customers)].filter((id) => !known.has(id));
}
