import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { decideDraft } from '../approval/draft-decisions.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Db } from '../db/database.ts';
import type { BillingRunTrigger } from '../db/schema.ts';
import type { Deps } from '../ports/deps.ts';
import { eventLoopBudget } from './event-loop-budget.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import { draftInvoice } from './draft-invoice.ts';
import { alreadyInvoicedIn, loadBillingInputs, type BillingInputs } from './load-billing-inputs.ts';
import { findRunSummary } from './find-run-summary.ts';
import { finishDraftedRun } from './finish-drafted-run.ts';
import { describeScope, runKeyFor, type RunScope } from '../billing-config/run-scope.ts';
import {
  currencyTotals,
  summarizeDraft,
  type DraftSummary,
  type RunCounts,
  type RunSummary,
} from './run-summary.ts';
import { writeDrafts, type DecidedDraft, type DecidedInvoice } from './write-drafts.ts';

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

// NOTE: a batch's rows and COPY text are built in one synchronous stretch; 250 drafts keep it short
// enough not to hold Slack acks up (1,000 made stalls of 100–180 ms), at no cost in throughput.
const BATCH = 250;
// Any constant shared by all runs (as the audit log's lock): runs draft one at a time.
const RUNS_LOCK_KEY = 0x72756e73; // "runs"

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
  if (input.dryRun === true) {
    const inputs = await loadBillingInputs(deps.db, deps.billing, input.period, input.scope);
    return { ok: true, outcome: 'dry_run', run: (await draftRun(deps, inputs, input)).run };
  }
  return createRun(deps, input, key);
}

async function createRun(
  deps: RunDeps,
  input: StartBillingRunInput,
  key: string,
): Promise<StartBillingRunResult> {
  // Read outside the transaction so its queries run side by side; who is already invoiced is read
  // again inside it, once no other run can be drafting.
  const loaded = await loadBillingInputs(deps.db, deps.billing, input.period, input.scope);
  return deps.db.transaction().execute(async (trx) => {
    // NOTE: runs draft one at a time, so a run for an overlapping period or scope commits first and
    // this one sees its invoices: a customer is never billed twice, whatever the two runs' periods.
    await sql`select pg_advisory_xact_lock(${RUNS_LOCK_KEY})`.execute(trx);
    const inputs: BillingInputs = {
      ...loaded,
      alreadyInvoiced: await alreadyInvoicedIn(trx, input.period, loaded.customerIds),
    };
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
    const target = { runId: created.id, period: input.period, origin: null };
    const { run: drafted, decided } = await draftRun(deps, inputs, input, (batch) =>
      writeDrafts(trx, target, batch),
    );
    const run = await finishDraftedRun(
      trx,
      deps,
      { ...drafted, id: created.id },
      decided,
      input.period.label,
    );
    return { ok: true, outcome: 'created', run } as const;
  });
}

/**
 * Prices every customer and decides each draft by the approval policy; with `write`, hands the drafts
 * over in batches as they are priced (a dry run writes nothing).
 * NOTE: each batch is handed over as soon as it is priced and written while the next is priced, so
 * Postgres and pricing overlap; the loop yields to the event loop every few milliseconds, which also
 * lets Slack requests be acked meanwhile.
 */
async function draftRun(
  deps: RunDeps,
  inputs: BillingInputs,
  input: StartBillingRunInput,
  write?: (batch: DecidedDraft[]) => Promise<void>,
): Promise<{ run: RunSummary; decided: DecidedInvoice[] }> {
  const issueDate = todayIn(deps.billing.timezone, deps.clock.now());
  // NOTE: only summaries outlive their batch; keeping 10,000 priced drafts alive costs more in GC than pricing them.
  const invoices: DraftSummary[] = [];
  const totals = currencyTotals();
  const decided: DecidedInvoice[] = [];
  const writes: Promise<void>[] = [];
  // NOTE: the first failed batch ends the run, but only once every batch already sent has settled:
  // a statement still queued on the connection must not reach it after the rollback.
  let failure: { error: unknown } | undefined;
  let nothingToBill = 0;
  let alreadyInvoiced = 0;
  const budget = eventLoopBudget();
  let batch: DecidedDraft[] = [];
  const flush = () => {
    if (write !== undefined && batch.length > 0 && failure === undefined) {
      writes.push(
        write(batch).catch((error: unknown) => {
          failure ??= { error };
        }),
      );
    }
    batch = [];
  };
  for (const customer of inputs.customers) {
    await budget.pause();
    if (failure !== undefined) break;
    if (inputs.alreadyInvoiced.has(customer.customer.id)) {
      alreadyInvoiced += 1;
      continue;
    }
    const outcome = draftInvoice({ billing: deps.billing, period: input.period, issueDate, ...customer });
    if (outcome.kind === 'nothing_to_bill') {
      nothingToBill += 1;
      continue;
    }
    const { draft } = outcome;
    const decision = decideDraft(
      deps.billing.approval,
      { currency: draft.currency, total: draft.priced.total, blocked: draft.exceptions.length > 0 },
      customer.approval,
    );
    const invoiceId = write === undefined ? null : randomUUID();
    invoices.push(summarizeDraft(draft, invoiceId));
    totals.add(draft.currency, {
      subtotal: draft.priced.subtotal,
      discount: draft.priced.discountTotal,
      tax: draft.priced.taxTotal,
      total: draft.priced.total,
    });
    if (invoiceId === null) continue;
    decided.push({ invoiceId, decision });
    batch.push({ invoiceId, draft, decision });
    if (batch.length === BATCH) flush();
  }
  flush();
  await Promise.all(writes);
  if (failure !== undefined) throw failure.error;

  const counts: RunCounts = {
    customers: inputs.customers.length,
    drafted: invoices.length,
    withExceptions: invoices.filter((invoice) => invoice.exceptions.length > 0).length,
    nothingToBill,
    alreadyInvoiced,
  };
  const run: RunSummary = {
    id: null,
    trigger: input.trigger,
    period: { start: input.period.start, end: input.period.end },
    scope: describeScope(input.scope),
    status: invoices.length > 0 ? 'awaiting_approval' : 'completed',
    startedBy: input.startedBy,
    createdAt: deps.clock.now(),
    counts,
    totals: totals.result(),
    invoices,
  };
  return { run, decided };
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
