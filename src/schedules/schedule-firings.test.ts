import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SchedulePeriod } from '../billing-config/billing-config.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import { armSchedule } from './arm-schedule.ts';
import { periodForFiring } from './period-for-firing.ts';
import { latestFiring, nextFiring } from './schedule-firings.ts';

const DAY_MS = 86_400_000;
const iso = (date: Date | undefined) => date?.toISOString();

/** The firings from `from` on, up to and including `until`. */
function firingsBetween(cron: string, timezone: string, from: string, until: string): string[] {
  const found: string[] = [];
  let at = new Date(from);
  for (;;) {
    at = nextFiring({ cron, timezone }, at);
    if (at > new Date(until)) return found;
    found.push(at.toISOString());
  }
}

describe('nextFiring', () => {
  it.each([
    [
      'a daily 01:30 in London over spring forward fires at 02:30 BST on the day 01:30 does not exist',
      '30 1 * * *',
      'Europe/London',
      '2026-03-27T12:00:00Z',
      ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'],
    ],
    [
      'a daily 01:30 in London over fall back fires once, at the first 01:30',
      '30 1 * * *',
      'Europe/London',
      '2026-10-23T12:00:00Z',
      ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    ],
    [
      'a daily 02:30 in New York over spring forward fires at 03:30 EDT',
      '30 2 * * *',
      'America/New_York',
      '2026-03-06T12:00:00Z',
      ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'],
    ],
    [
      'a daily 01:30 in New York over fall back fires once',
      '30 1 * * *',
      'America/New_York',
      '2026-10-30T12:00:00Z',
      ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    ],
    [
      // node-schedule's own cron-parser skips this day altogether
      'a daily midnight in Santiago fires at 01:00 on the day midnight does not exist',
      '0 0 * * *',
      'America/Santiago',
      '2026-09-04T12:00:00Z',
      ['2026-09-05T04:00:00.000Z', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z'],
    ],
    [
      'a monthly 06:00 in London keeps 06:00 local across DST',
      '0 6 1 * *',
      'Europe/London',
      '2026-02-15T00:00:00Z',
      ['2026-03-01T06:00:00.000Z', '2026-04-01T05:00:00.000Z', '2026-05-01T05:00:00.000Z'],
    ],
    [
      'the leap day only exists every four years',
      '0 0 29 2 *',
      'UTC',
      '2026-01-01T00:00:00Z',
      ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z', '2036-02-29T00:00:00.000Z'],
    ],
  ])('%s', (_name, cron, timezone, from, expected) => {
    const found: string[] = [];
    let at = new Date(from);
    for (const _ of expected) {
      at = nextFiring({ cron, timezone }, at);
      found.push(at.toISOString());
    }
    expect(found).toEqual(expected);
  });

  it.each([
    ['Europe/London', '2026-03-26', '2026-04-01'],
    ['Europe/London', '2026-10-22', '2026-10-28'],
    ['America/New_York', '2026-03-05', '2026-03-11'],
    ['America/New_York', '2026-10-29', '2026-11-04'],
    ['America/Santiago', '2026-09-03', '2026-09-09'],
    ['Australia/Lord_Howe', '2026-10-01', '2026-10-07'],
  ])('a daily schedule in %s bills every day from %s to %s once, whatever the hour', (timezone, from, to) => {
    for (const hour of [0, 1, 2, 3]) {
      for (const minute of [0, 30]) {
        const firings = firingsBetween(
          `${minute} ${hour} * * *`,
          timezone,
          `${from}T12:00:00Z`,
          `${to}T12:00:00Z`,
        );
        const days = firings.map(
          (at) => periodForFiring({ timezone, period: 'previous_day' }, new Date(at)).start,
        );
        const expected = Array.from({ length: days.length }, (_, index) =>
          new Date(new Date(`${days[0] ?? from}T00:00:00Z`).getTime() + index * DAY_MS)
            .toISOString()
            .slice(0, 10),
        );
        expect({ hour, minute, days }).toEqual({ hour, minute, days: expected });
        expect(days.length).toBeGreaterThanOrEqual(5);
      }
    }
  });

  it.each<[SchedulePeriod, string, string, string, number, string]>([
    // a leap February; the week of the October DST change and ISO week 53; a leap day and a DST change
    ['previous_month', '0 6 1 * *', '2027-12-15', '2029-01-15', 13, '2028-02-01'],
    ['previous_week', '0 6 * * 1', '2026-10-01', '2027-01-31', 17, '2026-10-19'],
    ['previous_day', '0 0 * * *', '2028-02-20', '2028-04-10', 50, '2028-02-29'],
  ])(
    'gives %s periods that follow each other with no gap and no repeat',
    (period, cron, from, until, count, includes) => {
      const timezone = 'Europe/London';
      const periods = firingsBetween(cron, timezone, `${from}T00:00:00Z`, `${until}T00:00:00Z`).map((at) =>
        periodForFiring({ timezone, period }, new Date(at)),
      );
      expect(periods).toHaveLength(count);
      periods.slice(1).forEach((current, index) => {
        expect(current.start).toBe(periods[index]?.end);
      });
      expect(periods.map((each) => each.start)).toContain(includes);
    },
  );
});

describe('latestFiring', () => {
  it.each([
    // cron-parser's prev() skips this firing; the catch-up must not
    [
      'the spring-forward firing in London',
      '30 1 * * *',
      'Europe/London',
      '2026-03-29T12:00:00Z',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'the first 01:30 during the second one',
      '30 1 * * *',
      'Europe/London',
      '2026-10-25T01:45:00Z',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'the firing at that very instant',
      '0 6 1 * *',
      'Europe/London',
      '2026-11-01T06:00:00Z',
      '2026-11-01T06:00:00.000Z',
    ],
    [
      'the month before, a millisecond earlier',
      '0 6 1 * *',
      'Europe/London',
      '2026-11-01T05:59:59.999Z',
      '2026-10-01T05:00:00.000Z',
    ],
    ['the last leap day', '0 0 29 2 *', 'UTC', '2027-06-01T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    [
      'the Santiago midnight that does not exist',
      '0 0 * * *',
      'America/Santiago',
      '2026-09-06T12:00:00Z',
      '2026-09-06T04:00:00.000Z',
    ],
  ])('finds %s', (_name, cron, timezone, now, expected) => {
    expect(iso(latestFiring({ cron, timezone }, new Date(now)))).toBe(expected);
  });

  it('is the firing before the next one, at any instant', () => {
    const crons = ['30 1 * * *', '0 6 1 * *', '0 0 * * 0', '15 2 * * 1-5', '0 0 29 2 *', '0 1 L * *'];
    const zones = [
      'Europe/London',
      'America/New_York',
      'America/Santiago',
      'Australia/Sydney',
      'Asia/Kolkata',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...crons),
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) }),
        (cron, timezone, instant) => {
          const schedule = { cron, timezone };
          const now = new Date(instant);
          const latest = latestFiring(schedule, now);
          expect(latest === undefined || latest <= now).toBe(true);
          if (latest !== undefined)
            expect(iso(nextFiring(schedule, latest))).toBe(iso(nextFiring(schedule, now)));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('armSchedule (node-schedule)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function firedWhile(cron: string, timezone: string, from: string, days: number): Promise<string[]> {
    vi.useFakeTimers({ now: new Date(from), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fired: string[] = [];
    const armed = armSchedule({ cron, timezone }, (firedAt) => {
      fired.push(firedAt.toISOString());
    });
    try {
      await vi.advanceTimersByTimeAsync(days * DAY_MS);
    } finally {
      armed.cancel();
    }
    return fired;
  }

  it('fires once on the London day 01:30 is skipped and once on the day it repeats', async () => {
    const spring = await firedWhile('30 1 * * *', 'Europe/London', '2026-03-27T12:00:00Z', 4);
    expect(spring).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
    const autumn = await firedWhile('30 1 * * *', 'Europe/London', '2026-10-23T12:00:00Z', 4);
    expect(autumn.map((at) => todayIn('Europe/London', new Date(at)))).toEqual([
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
    ]);
  });

  it('waits past 24.8 days for a monthly firing and bills a leap February', async () => {
    const fired = await firedWhile('0 6 1 * *', 'Europe/London', '2028-01-15T00:00:00Z', 70);
    expect(fired).toEqual(['2028-02-01T06:00:00.000Z', '2028-03-01T06:00:00.000Z']);
    expect(
      fired.map((at) =>
        periodForFiring({ timezone: 'Europe/London', period: 'previous_month' }, new Date(at)),
      ),
    ).toEqual([
      { start: '2028-01-01', end: '2028-02-01', label: 'January 2028' },
      { start: '2028-02-01', end: '2028-03-01', label: 'February 2028' },
    ]);
  });

  it('fires nothing once cancelled', async () => {
    vi.useFakeTimers({
      now: new Date('2026-10-31T12:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    const fired: Date[] = [];
    const armed = armSchedule({ cron: '0 6 1 * *', timezone: 'Europe/London' }, (at) => fired.push(at));
    expect(iso(armed.next())).toBe('2026-11-01T06:00:00.000Z');
    armed.cancel();
    await vi.advanceTimersByTimeAsync(2 * DAY_MS);
    expect(fired).toEqual([]);
  });
});
