import type { Decimal } from '../money/decimal.ts';
import type { Proration } from './types.ts';

const DAY_MS = 86_400_000;

/** Whole days from `a` to `b` ('YYYY-MM-DD', calendar days in UTC): 2026-02-01 → 2026-03-01 is 28. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/**
 * The share of a billing period a subscription was active. `end` and `until` are exclusive (the first
 * day not included); undefined when it was active for the whole period, 0 active days when never.
 */
export function prorationFor(
  period: { start: string; end: string },
  active: { from: string; until: string | null },
): Proration | undefined {
  const periodDays = daysBetween(period.start, period.end);
  if (periodDays <= 0) throw new RangeError(`period ${period.start}–${period.end} must end after it starts`);
  const until = active.until ?? period.end;
  if (daysBetween(active.from, until) < 0) {
    throw new RangeError(`subscription ends (${until}) before it starts (${active.from})`);
  }
  const first = Math.max(dayNumber(period.start), dayNumber(active.from));
  const last = Math.min(dayNumber(period.end), dayNumber(until));
  const activeDays = Math.max(0, last - first);
  return activeDays === periodDays ? undefined : { activeDays, periodDays };
}

/** amount × activeDays / periodDays, exact (not rounded). */
export function prorate(amount: Decimal, proration: Proration): Decimal {
  assertProration(proration);
  // Multiply before dividing: 100 × 15 / 30 stays exact; only thirds and the like repeat.
  return amount.times(proration.activeDays).dividedBy(proration.periodDays);
}

export function assertProration({ activeDays, periodDays }: Proration): void {
  if (!Number.isInteger(activeDays) || !Number.isInteger(periodDays) || periodDays <= 0) {
    throw new RangeError(`proration needs whole days and a period of at least one day`);
  }
  if (activeDays < 0 || activeDays > periodDays) {
    throw new RangeError(`proration: ${activeDays} active days is outside a ${periodDays}-day period`);
  }
}

function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // NOTE: Date.UTC rolls 2026-02-30 over to 2 March; the round trip refuses such dates.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return ms / DAY_MS;
}
