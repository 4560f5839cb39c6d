// Wall-clock times as Dates whose UTC fields are the local fields of some zone ("06:00 on 1 Nov").

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** What the clocks in `timeZone` show at `instant`, to the second. */
export function wallClockAt(instant: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  const at = (type: string) => parts[type] ?? 0;
  return new Date(Date.UTC(at('year'), at('month') - 1, at('day'), at('hour'), at('minute'), at('second')));
}

/**
 * The instant the clocks in `timeZone` show `wallClock`. A time skipped by a DST change (01:30 when
 * clocks go from 01:00 to 02:00) is read with the offset before the change, so it lands as far
 * after the jump as it was after 01:00 (02:30); a time that happens twice is its first occurrence.
 */
export function instantAt(wallClock: Date, timeZone: string): Date {
  const wall = wallClock.getTime();
  const before = offsetAt(new Date(wall - DAY_MS), timeZone);
  const after = offsetAt(new Date(wall + DAY_MS), timeZone);
  const shows = (instant: number) => wallClockAt(new Date(instant), timeZone).getTime() === wall;
  const candidates = [wall - before, wall - after].filter(shows);
  if (candidates.length === 0) return new Date(wall - before);
  return new Date(Math.min(...candidates));
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
function offsetAt(instant: Date, timeZone: string): number {
  const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return wallClockAt(whole, timeZone).getTime() - whole.getTime();
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
