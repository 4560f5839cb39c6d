import { createHash } from 'node:crypto';
import type { BillingSchedule } from '../billing-config/billing-config.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import { runKeyFor } from '../billing-config/run-scope.ts';
import type { Db } from '../db/database.ts';
import type { Deps } from '../ports/deps.ts';
import { fireSchedule } from './fire-schedule.ts';
import { periodForFiring } from './period-for-firing.ts';
import { latestFiring } from './schedule-firings.ts';
import { FIRING_SOURCE, firingKey, SCHEDULE_SEEN_SOURCE } from '../queue/scheduled-run.ts';

export type CatchUpResult =
  | { code: 'caught_up'; firedAt: Date; period: BillingPeriod }
  | { code: 'off' | 'nothing_missed' | 'already_billed' | 'new_schedule' };

/**
 * At start: if the schedule's latest firing was missed (no instance fired it, nobody billed its period),
 * queue it once, marked as caught up. A schedule billops has not seen before waits for its next
 * firing: adopting billops must not re-bill a period another system already invoiced.
 */
export async function catchUpMissedFiring(
  deps: Pick<Deps, 'db' | 'clock'>,
  schedule: BillingSchedule,
  options: { enabled?: boolean } = {},
): Promise<CatchUpResult> {
  const now = deps.clock.now();
  const seenSince = await recordScheduleSeen(deps.db, schedule, now);
  if (!schedule.catchUp || options.enabled === false) return { code: 'off' };
  const firedAt = latestFiring(schedule, now);
  if (firedAt === undefined) return { code: 'nothing_missed' };
  if (firedAt < seenSince) return { code: 'new_schedule' };
  const period = periodForFiring(schedule, firedAt);
  const fired = await deps.db
    .selectFrom('processed_events')
    .select('event_id')
    .where('source', '=', FIRING_SOURCE)
    .where('event_id', '=', firingKey(schedule.name, period.start))
    .executeTakeFirst();
  if (fired !== undefined) return { code: 'nothing_missed' };
  const billed = await deps.db
    .selectFrom('billing_runs')
    .select('id')
    .where('trigger_key', '=', runKeyFor(schedule.scope))
    .where('period_start', '=', period.start)
    .where('period_end', '=', period.end)
    .executeTakeFirst();
  if (billed !== undefined) return { code: 'already_billed' };
  const queued = await fireSchedule(deps, schedule, firedAt, { caughtUp: true });
  return queued.code === 'queued' ? { code: 'caught_up', firedAt, period } : { code: 'nothing_missed' };
}

/** When billops first saw this schedule as it is now defined (a changed schedule counts as new). */
async function recordScheduleSeen(db: Db, schedule: BillingSchedule, now: Date): Promise<Date> {
  const definition = [schedule.cron, schedule.timezone, schedule.period, runKeyFor(schedule.scope)].join(
    '\n',
  );
  const key = `${schedule.name}#${createHash('sha256').update(definition).digest('hex').slice(0, 16)}`;
  await db
    .insertInto('processed_events')
    .values({ source: SCHEDULE_SEEN_SOURCE, event_id: key, received_at: now })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  const row = await db
    .selectFrom('processed_events')
    .select('received_at')
    .where('source', '=', SCHEDULE_SEEN_SOURCE)
    .where('event_id', '=', key)
    .executeTakeFirstOrThrow();
  return row.received_at;
}
