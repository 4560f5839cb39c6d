import { daysBetween, earlierOf, laterOf } from '../calendar/calendar-date.ts';
import type { Decimal } from '../money/decimal.ts';
import type { Proration } from './types.ts';

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
  const first = laterOf(period.start, active.from);
  const last = earlierOf(period.end, until);
  const activeDays = Math.max(0, daysBetween(first, last));
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
