import nodeSchedule from 'node-schedule';
import { nextFiring, type ScheduleTiming } from './schedule-firings.ts';

export interface ArmedSchedule {
  /** The next firing node-schedule waits for. */
  next(): Date | undefined;
  cancel(): void;
}

/**
 * Calls `onFire` at each of the schedule's firings from now on. node-schedule keeps the timer (also
 * past setTimeout's 24.8 days); the firing times come from `nextFiring`, which places cron times in the
 * schedule's zone with one firing per wall-clock match across DST changes.
 */
export function armSchedule(timing: ScheduleTiming, onFire: (firedAt: Date) => void): ArmedSchedule {
  let job: nodeSchedule.Job | null = null;
  let next: Date | undefined;
  let cancelled = false;
  const armAfter = (after: Date) => {
    let from = after;
    while (!cancelled) {
      const at = nextFiring(timing, new Date(Math.max(from.getTime(), Date.now())));
      next = at;
      job = scheduleAt(at, () => {
        job = null;
        armAfter(at);
        onFire(at);
      });
      if (job !== null) return;
      // node-schedule refuses a time already past (it passed while being computed): fire it now.
      onFire(at);
      from = at;
    }
  };
  armAfter(new Date());
  return {
    next: () => (cancelled ? undefined : next),
    cancel: () => {
      cancelled = true;
      job?.cancel();
      job = null;
    },
  };
}

// NOTE: @types/node-schedule says scheduleJob always returns a Job; it returns null for a time already past.
function scheduleAt(at: Date, run: () => void): nodeSchedule.Job | null {
  return nodeSchedule.scheduleJob(at, run);
}
