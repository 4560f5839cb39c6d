import { z } from 'zod';

/** One firing of a schedule, as the start_scheduled_run job carries it: everything the run needs. */
export const scheduledRunSchema = z.object({
  schedule: z.string().min(1),
  periodStart: z.iso.date(),
  periodEnd: z.iso.date(),
  customers: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]),
  /** When it fired (or, caught up, should have). */
  firedAt: z.iso.datetime(),
  timezone: z.string().min(1),
  /** Missed while billops was down and started at the next start: the billing channel is told so. */
  caughtUp: z.boolean(),
});

export type ScheduledRun = z.infer<typeof scheduledRunSchema>;

/** processed_events sources: one row per (schedule, period) fired, per catch-up note, per schedule seen. */
export const FIRING_SOURCE = 'schedule';
export const CATCH_UP_NOTE_SOURCE = 'schedule_catch_up_note';
export const SCHEDULE_SEEN_SOURCE = 'schedule_seen';

/** `<name>:<period start>`: the key that makes a run once per (schedule, period) across instances. */
export function firingKey(schedule: string, periodStart: string): string {
  return `${schedule}:${periodStart}`;
}
