import { addDays } from './calendar-date.ts';
import { instantAt, wallClockAt } from './wall-clock.ts';

// When each payment reminder is due: pure date arithmetic, no clock and no database.

/** A reminder more late than this (billops was down) is skipped: "due in 3 days" a week late misleads. */
export const REMINDER_LATE_LIMIT_MS = 2 * 86_400_000;

/**
 * The instant a reminder step is due: `sendAt` ('HH:MM') on the day `step.days` from the due date, as
 * the clocks in `timeZone` show it. A time a DST change skips lands just after the jump.
 */
export function reminderDueAt(
  step: { days: number },
  dueDate: string,
  timeZone: string,
  sendAt: string,
): Date {
  const day = addDays(dueDate, step.days);
  return instantAt(new Date(`${day}T${sendAt}:00Z`), timeZone);
}

export interface ReminderClock {
  dueDate: string;
  timeZone: string;
  sendAt: string;
  /** When the invoice itself went out: no reminder is due before it. */
  finalizedAt: Date;
  now: Date;
}

/**
 * The step to send now: the latest one whose time has come, unless it is more than two days late or
 * fell before the invoice was finalized. Never an earlier step once a later one is due, so a gap in
 * the job's runs never sends a burst of reminders. `steps` are sorted by `days`.
 */
export function reminderStepDue<Step extends { days: number }>(
  steps: readonly Step[],
  clock: ReminderClock,
): Step | undefined {
  let latest: { step: Step; at: Date } | undefined;
  for (const step of steps) {
    const at = reminderDueAt(step, clock.dueDate, clock.timeZone, clock.sendAt);
    if (at.getTime() <= clock.now.getTime()) latest = { step, at };
  }
  if (latest === undefined) return undefined;
  if (clock.now.getTime() - latest.at.getTime() > REMINDER_LATE_LIMIT_MS) return undefined;
  if (latest.at.getTime() < clock.finalizedAt.getTime()) return undefined;
  return latest.step;
}

/** 'reminder:<invoice id>:<days>': one email per invoice and step, ever (deliveries.dedupe_key is unique). */
export function reminderDedupeKey(invoiceId: string, days: number): string {
  return `reminder:${invoiceId}:${days}`;
}

/** The step's `days` from a reminder's dedupe key; undefined for any other key. */
export function reminderDaysOf(dedupeKey: string): number | undefined {
  const match = /^reminder:[0-9a-f-]+:(-?\d+)$/i.exec(dedupeKey);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** "3 days before the due date", "on the due date", "1 day after the due date". */
export function describeReminderDay(days: number): string {
  if (days === 0) return 'on the due date';
  const count = Math.abs(days);
  return `${count} day${count === 1 ? '' : 's'} ${days < 0 ? 'before' : 'after'} the due date`;
}

/** "2026-11-17 09:00 Europe/London": a reminder's time as the customer's clock shows it. */
export function describeReminderTime(at: Date, timeZone: string): string {
  return `${wallClockAt(at, timeZone).toISOString().slice(0, 16).replace('T', ' ')} ${timeZone}`;
}
