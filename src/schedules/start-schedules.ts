import { buildScheduleProblemAlert, formatFiringTime } from '../../blocks/schedule-messages.ts';
import type { BillingSchedule } from '../billing-config/billing-config.ts';
import type { Deps } from '../ports/deps.ts';
import { armSchedule, type ArmedSchedule } from './arm-schedule.ts';
import { catchUpMissedFiring } from './catch-up-missed-firing.ts';
import { fireSchedule } from './fire-schedule.ts';
import { periodForFiring } from './period-for-firing.ts';

export interface StartSchedulesOptions {
  /** false: do not catch up missed firings at this start, whatever the schedules say. Default true. */
  catchUp?: boolean;
}

export interface RunningSchedules {
  /** Disarms every schedule and waits for firings being recorded. */
  stop(): Promise<void>;
}

export type ScheduleDeps = Pick<Deps, 'db' | 'billing' | 'clock' | 'logger' | 'slack'>;

/** A firing that could not be recorded (the database was away) is tried again after these waits. */
const RETRY_DELAYS_MS = [30_000, 120_000, 600_000];

const PERIOD_WORDS: Record<BillingSchedule['period'], string> = {
  previous_month: 'previous month',
  previous_week: 'previous week',
  previous_day: 'previous day',
};

/**
 * Arms every schedule in billing.yml on this instance and catches up a firing missed while billops was
 * down. Every instance does the same: each firing is recorded once per (schedule, period) in Postgres
 * and its run is a durable job, so the instances agree on one run without talking to each other.
 */
export async function startSchedules(
  deps: ScheduleDeps,
  options: StartSchedulesOptions = {},
): Promise<RunningSchedules> {
  const log = deps.logger.child({ part: 'schedules' });
  const inFlight = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const fire = (schedule: BillingSchedule, firedAt: Date, attempt = 0): void => {
    if (stopping) return;
    const work = fireSchedule(deps, schedule, firedAt).then(
      (result) => {
        log.info(
          { schedule: schedule.name, period: result.period.label, outcome: result.code },
          result.code === 'queued'
            ? `Schedule ${schedule.name} fired: billing ${result.period.label}`
            : `Schedule ${schedule.name} fired: ${result.period.label} was already started`,
        );
      },
      async (error: unknown) => {
        if (stopping) {
          log.warn(
            { err: error, schedule: schedule.name },
            `Schedule ${schedule.name}: firing not recorded (stopping)`,
          );
          return;
        }
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay !== undefined) {
          log.warn(
            { err: error, schedule: schedule.name },
            `Schedule ${schedule.name}: could not record its firing; trying again`,
          );
          const timer = setTimeout(() => {
            retryTimers.delete(timer);
            fire(schedule, firedAt, attempt + 1);
          }, delay);
          retryTimers.add(timer);
          return;
        }
        log.error(
          { err: error, schedule: schedule.name },
          `Schedule ${schedule.name}: could not record its firing`,
        );
        await alertNotRecorded(deps, schedule, firedAt, error).catch((postError: unknown) => {
          log.error({ err: postError }, 'Could not post a schedule failure to the alerts channel');
        });
      },
    );
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  // Armed before catching up, so a firing during start-up is not lost (the firing record dedupes).
  const armed: ArmedSchedule[] = deps.billing.schedules.map((schedule) =>
    armSchedule(schedule, (firedAt) => {
      fire(schedule, firedAt);
    }),
  );
  const stop = async () => {
    stopping = true;
    for (const schedule of armed) schedule.cancel();
    for (const timer of retryTimers) clearTimeout(timer);
    retryTimers.clear();
    await Promise.allSettled([...inFlight]);
  };

  try {
    for (const schedule of deps.billing.schedules) {
      const outcome = await catchUpMissedFiring(deps, schedule, { enabled: options.catchUp !== false });
      if (outcome.code === 'caught_up') {
        log.info(
          { schedule: schedule.name, period: outcome.period.label, missedAt: outcome.firedAt.toISOString() },
          `Schedule ${schedule.name}: caught up ${outcome.period.label}, missed at ${formatFiringTime(outcome.firedAt, schedule.timezone)} while billops was down`,
        );
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log.info(describeSchedules(deps.billing.schedules, armed));
  return { stop };
}

function describeSchedules(schedules: readonly BillingSchedule[], armed: readonly ArmedSchedule[]): string {
  if (schedules.length === 0) return 'Schedules: none in billing.yml';
  const described = schedules.map((schedule, index) => {
    const next = armed[index]?.next();
    const when = next === undefined ? '' : `; next ${formatFiringTime(next, schedule.timezone)}`;
    return `${schedule.name} (${PERIOD_WORDS[schedule.period]} at '${schedule.cron}' in ${schedule.timezone}${when})`;
  });
  return `Schedules: ${described.join(', ')}`;
}

async function alertNotRecorded(
  deps: ScheduleDeps,
  schedule: BillingSchedule,
  firedAt: Date,
  error: unknown,
): Promise<void> {
  await deps.slack.alert({
    ...buildScheduleProblemAlert({
      schedule: schedule.name,
      periodLabel: periodForFiring(schedule, firedAt).label,
      kind: 'not_recorded',
      message: `Its firing at ${formatFiringTime(firedAt, schedule.timezone)} could not be recorded: ${error instanceof Error ? error.message : String(error)}`,
      catchUp: schedule.catchUp,
    }),
  });
}
