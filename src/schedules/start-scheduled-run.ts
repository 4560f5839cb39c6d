import { buildCatchUpNote, buildScheduleProblemAlert } from '../../blocks/schedule-messages.ts';
import { periodLabel, type BillingPeriod } from '../calendar/billing-period.ts';
import { runKeyFor, type RunScope } from '../billing-config/run-scope.ts';
import { startBillingRun } from '../billing-runs/start-billing-run.ts';
import type { Deps } from '../ports/deps.ts';
import { CATCH_UP_NOTE_SOURCE, firingKey, type ScheduledRun } from '../queue/scheduled-run.ts';

export type StartScheduledRunResult =
  { code: 'created' | 'existing'; runId: string | null } | { code: 'unknown_customers' };

type ScheduledRunDeps = Pick<Deps, 'db' | 'billing' | 'clock' | 'slack' | 'logger'>;

/**
 * A schedule's firing, in the job runner: starts the run for its period and scope (its summary and
 * cards follow from post_run_messages, as for any run). A caught-up firing is announced first; a
 * period someone already billed is left alone; a refused run goes to the alerts channel.
 */
export async function startScheduledRun(
  deps: ScheduledRunDeps,
  input: ScheduledRun,
): Promise<StartScheduledRunResult> {
  const period = {
    start: input.periodStart,
    end: input.periodEnd,
    label: periodLabel(input.periodStart, input.periodEnd),
  };
  const scope: RunScope = { customers: input.customers };
  if (input.caughtUp) await announceCatchUpOnce(deps, input, period, scope);
  const result = await startBillingRun(deps, {
    period,
    scope,
    trigger: 'schedule',
    startedBy: `schedule:${input.schedule}`,
  });
  if (!result.ok) {
    await deps.slack.alert({
      ...buildScheduleProblemAlert({
        schedule: input.schedule,
        periodLabel: period.label,
        kind: 'refused',
        message: result.message,
        catchUp: false,
      }),
    });
    return { code: result.code };
  }
  if (result.outcome !== 'created') {
    deps.logger.info(
      { schedule: input.schedule, runId: result.run.id },
      `Schedule ${input.schedule}: ${period.label} was already billed; nothing to start`,
    );
    return { code: 'existing', runId: result.run.id };
  }
  return { code: 'created', runId: result.run.id };
}

/** The note goes before the run, so it comes before the summary; a retried job does not post it twice. */
async function announceCatchUpOnce(
  deps: ScheduledRunDeps,
  input: ScheduledRun,
  period: BillingPeriod,
  scope: RunScope,
): Promise<void> {
  const billed = await deps.db
    .selectFrom('billing_runs')
    .select('id')
    .where('trigger_key', '=', runKeyFor(scope))
    .where('period_start', '=', period.start)
    .where('period_end', '=', period.end)
    .executeTakeFirst();
  if (billed !== undefined) return;
  await deps.db.transaction().execute(async (trx) => {
    const first = await trx
      .insertInto('processed_events')
      .values({ source: CATCH_UP_NOTE_SOURCE, event_id: firingKey(input.schedule, period.start) })
      .onConflict((conflict) => conflict.doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (first === undefined) return;
    // NOTE: the marker commits only once Slack has the note, so a failed post is retried with the job.
    await deps.slack.post({
      channel: deps.billing.slack.billingChannel,
      ...buildCatchUpNote({
        schedule: input.schedule,
        periodLabel: period.label,
        firedAt: new Date(input.firedAt),
        timezone: input.timezone,
      }),
    });
  });
}
