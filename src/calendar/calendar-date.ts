// Calendar dates as 'YYYY-MM-DD' strings. A billing date has no time of day and no zone; the zone
// only matters when turning an instant into a date (`todayIn`). Arithmetic is on UTC midnights.

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date ('2026-02-29' is not one). */
export function isCalendarDate(text: string): boolean {
  return utcMidnight(text) !== undefined;
}

export function addDays(date: string, days: number): string {
  return new Date(toUtc(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier); throws on a date that does not exist. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

function dayNumber(date: string): number {
  const midnight = utcMidnight(date);
  if (midnight === undefined)
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return midnight / DAY_MS;
}

/** Milliseconds at the date's UTC midnight; undefined unless it is a real date in 0001–9999. */
function utcMidnight(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // NOTE: Date rolls 2026-02-30 over to 2 March; refusing a date whose parts do not come back
  // unchanged beats billing a day that never was. (setUTCFullYear, unlike Date.UTC, keeps years < 100.)
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day
    ? utc.getTime()
    : undefined;
}

export function lastDayOfMonth(date: string): string {
  const start = toUtc(`${date.slice(0, 7)}-01`);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** The first day of the month after `date`'s month. */
export function startOfNextMonth(date: string): string {
  return addDays(lastDayOfMonth(date), 1);
}

/** The calendar date it is at `instant` in an IANA time zone. */
export function todayIn(timeZone: string, instant: Date): string {
  // NOTE: en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

export function earlierOf(a: string, b: string): string {
  return a < b ? a : b;
}

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}
