import type { BillingSchedule } from '../billing-config/billing-config.ts';
import { wallClockIterator } from '../calendar/cron-expression.ts';
import { instantAt, wallClockAt } from '../calendar/wall-clock.ts';

export type ScheduleTiming = Pick<BillingSchedule, 'cron' | 'timezone'>;

// NOTE: DST moves wall-clock times by at most two hours (three is a safe bound), so a match more than
// this far from the one found cannot land on the other side of it.
const WINDOW_MS = 3 * 3_600_000;

/**
 * The first firing strictly after `after`. Every matching wall-clock time fires exactly once: a time
 * skipped by DST fires just after the jump, a time that happens twice fires the first time.
 */
export function nextFiring(schedule: ScheduleTiming, after: Date): Date {
  const wallAfter = wallClockAt(after, schedule.timezone).getTime();
  const matches = wallClockIterator(schedule.cron, new Date(wallAfter - WINDOW_MS));
  let best: { at: number; wall: number } | undefined;
  for (;;) {
    const wall = matches.next().getTime();
    if (best !== undefined && wall > best.wall + WINDOW_MS) return new Date(best.at);
    const at = instantAt(new Date(wall), schedule.timezone).getTime();
    if (at > after.getTime() && (best === undefined || at < best.at)) best = { at, wall };
  }
}

/** The last firing at or before `atOrBefore`; undefined when the expression never matched before it. */
export function latestFiring(schedule: ScheduleTiming, atOrBefore: Date): Date | undefined {
  const wallNow = wallClockAt(atOrBefore, schedule.timezone).getTime();
  const matches = wallClockIterator(schedule.cron, new Date(wallNow + WINDOW_MS + 1));
  let best: { at: number; wall: number } | undefined;
  for (;;) {
    let wall: number;
    try {
      wall = matches.prev().getTime();
    } catch {
      break; // nothing earlier matches
    }
    if (best !== undefined && wall < best.wall - WINDOW_MS) break;
    const at = instantAt(new Date(wall), schedule.timezone).getTime();
    if (at <= atOrBefore.getTime() && (best === undefined || at > best.at)) best = { at, wall };
  }
  return best === undefined ? undefined : new Date(best.at);
}
