import type { BillingSchedule } from '../billing-config/billing-config.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { periodForFiring } from './period-for-firing.ts';
import { FIRING_SOURCE, firingKey } from '../queue/scheduled-run.ts';

export type FireScheduleResult = { code: 'queued' | 'already_fired'; period: BillingPeriod };

/**
 * One firing of a schedule: queues the run of the period it bills, once per (schedule, period) however
 * many instances fire it. The marker row and the job commit together, so a firing is never half done.
 */
export async function fireSchedule(
  deps: Pick<Deps, 'db'>,
  schedule: BillingSchedule,
  firedAt: Date,
  options: { caughtUp?: boolean } = {},
): Promise<FireScheduleResult> {
  const period = periodForFiring(schedule, firedAt);
  return deps.db.transaction().execute(async (trx) => {
    // NOTE: a second instance's insert waits for the first one's commit, then conflicts.
    const first = await trx
      .insertInto('processed_events')
      .values({ source: FIRING_SOURCE, event_id: firingKey(schedule.name, period.start) })
      .onConflict((conflict) => conflict.doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (first === undefined) return { code: 'already_fired', period } as const;
    await enqueueJob(trx, 'start_scheduled_run', {
      schedule: schedule.name,
      periodStart: period.start,
      periodEnd: period.end,
      customers: schedule.scope.customers === 'all' ? 'all' : [...schedule.scope.customers],
      firedAt: firedAt.toISOString(),
      timezone: schedule.timezone,
      caughtUp: options.caughtUp ?? false,
    });
    return { code: 'queued', period } as const;
  });
}
