import { describe, expect, it } from 'vitest';
import {
  describeReminderDay,
  reminderDaysOf,
  reminderDedupeKey,
  reminderDueAt,
  reminderStepDue,
} from './reminder-schedule.ts';

const STEPS = [{ days: -3 }, { days: 0 }, { days: 1 }, { days: 7 }];

describe('reminderDueAt', () => {
  it.each([
    // zone, due date, step, send at → the instant
    ['Europe/London', '2026-01-31', 1, '09:00', '2026-02-01T09:00:00.000Z'],
    ['Pacific/Auckland', '2026-01-31', 1, '09:00', '2026-01-31T20:00:00.000Z'],
    ['America/Los_Angeles', '2026-01-31', 1, '09:00', '2026-02-01T17:00:00.000Z'],
    ['Europe/London', '2026-01-31', 7, '09:00', '2026-02-07T09:00:00.000Z'],
    ['Europe/London', '2026-12-31', 1, '09:00', '2027-01-01T09:00:00.000Z'],
    ['Europe/London', '2026-03-31', -3, '09:00', '2026-03-28T09:00:00.000Z'],
    // Three days before 1 March: 27 February in a leap year, 26 February otherwise.
    ['Europe/London', '2028-03-01', -3, '09:00', '2028-02-27T09:00:00.000Z'],
    ['Europe/London', '2027-03-01', -3, '09:00', '2027-02-26T09:00:00.000Z'],
    ['America/Los_Angeles', '2028-03-01', -3, '09:00', '2028-02-27T17:00:00.000Z'],
    ['Pacific/Auckland', '2027-03-01', -3, '09:00', '2027-02-25T20:00:00.000Z'],
    // London's clocks go forward on 29 March 2026: 09:00 is GMT the day before, BST that day.
    ['Europe/London', '2026-03-28', 0, '09:00', '2026-03-28T09:00:00.000Z'],
    ['Europe/London', '2026-03-28', 1, '09:00', '2026-03-29T08:00:00.000Z'],
    // A time the change skips (01:30) lands just after the jump: 02:30 BST.
    ['Europe/London', '2026-03-29', 0, '01:30', '2026-03-29T01:30:00.000Z'],
    // Los Angeles goes to PDT on 8 March 2026.
    ['America/Los_Angeles', '2026-03-07', 0, '09:00', '2026-03-07T17:00:00.000Z'],
    ['America/Los_Angeles', '2026-03-08', 0, '09:00', '2026-03-08T16:00:00.000Z'],
    // Auckland leaves NZDT (+13) for NZST (+12) on 5 April 2026.
    ['Pacific/Auckland', '2026-04-04', 0, '09:00', '2026-04-03T20:00:00.000Z'],
    ['Pacific/Auckland', '2026-04-05', 0, '09:00', '2026-04-04T21:00:00.000Z'],
  ])('%s, due %s, step %i at %s → %s', (zone, dueDate, days, sendAt, expected) => {
    expect(reminderDueAt({ days }, dueDate, zone, sendAt).toISOString()).toBe(expected);
  });
});

describe('reminderStepDue', () => {
  const clock = (now: string, overrides: { timeZone?: string; finalizedAt?: string } = {}) => ({
    dueDate: '2026-11-10',
    timeZone: overrides.timeZone ?? 'Europe/London',
    sendAt: '09:00',
    finalizedAt: new Date(overrides.finalizedAt ?? '2026-11-01T10:00:00Z'),
    now: new Date(now),
  });

  it.each([
    ['2026-11-07T08:59:59Z', undefined],
    ['2026-11-07T09:00:00Z', -3],
    ['2026-11-09T09:00:00Z', -3],
    ['2026-11-09T09:00:01Z', undefined],
    ['2026-11-10T09:00:00Z', 0],
    ['2026-11-11T12:00:00Z', 1],
    ['2026-11-13T09:00:00Z', 1],
    // Between steps, once the last one is two days old, nothing is due.
    ['2026-11-16T12:00:00Z', undefined],
    ['2026-11-17T09:00:00Z', 7],
    ['2026-11-19T09:00:00Z', 7],
    // Over two days late: skipped, not sent late.
    ['2026-11-19T09:00:01Z', undefined],
    ['2027-01-01T09:00:00Z', undefined],
  ])('at %s sends step %s', (now, expected) => {
    expect(reminderStepDue(STEPS, clock(now))?.days).toBe(expected);
  });

  it('sends the latest step due, never an earlier one it missed', () => {
    // Down from before the due day until the day after: step 0 is skipped, step 1 goes.
    expect(reminderStepDue(STEPS, clock('2026-11-11T09:30:00Z'))?.days).toBe(1);
  });

  it('sends nothing due before the invoice itself went out', () => {
    const finalizedAt = '2026-11-10T12:00:00Z';
    expect(reminderStepDue(STEPS, clock('2026-11-10T13:00:00Z', { finalizedAt }))).toBeUndefined();
    expect(reminderStepDue(STEPS, clock('2026-11-11T09:00:00Z', { finalizedAt }))?.days).toBe(1);
  });

  it('reads the day in the customer time zone: Auckland is on the due day while Los Angeles is not', () => {
    const steps = [{ days: -1 }, { days: 0 }];
    // 09:00 on 10 November in Auckland; 12:00 on 9 November in Los Angeles.
    const now = '2026-11-09T20:00:00Z';
    expect(reminderStepDue(steps, clock(now, { timeZone: 'Pacific/Auckland' }))?.days).toBe(0);
    expect(reminderStepDue(steps, clock(now, { timeZone: 'America/Los_Angeles' }))?.days).toBe(-1);
    expect(
      reminderStepDue(steps, clock('2026-11-09T19:59:59Z', { timeZone: 'Pacific/Auckland' }))?.days,
    ).toBe(-1);
  });

  it('sends nothing when there are no steps', () => {
    const none: { days: number }[] = [];
    expect(reminderStepDue(none, clock('2026-11-10T12:00:00Z'))).toBeUndefined();
  });
});

describe('reminder keys', () => {
  const invoiceId = '0b5c1f1e-5d8e-4f39-9d1c-2f7e6a9b1c3d';

  it.each([-3, 0, 1, 7])('reads step %i back from its dedupe key', (days) => {
    expect(reminderDaysOf(reminderDedupeKey(invoiceId, days))).toBe(days);
  });

  it('reads no step from another kind of key', () => {
    expect(reminderDaysOf(`invoice:${invoiceId}`)).toBeUndefined();
    expect(reminderDaysOf(`reminder:${invoiceId}:soon`)).toBeUndefined();
  });

  it.each([
    [-3, '3 days before the due date'],
    [-1, '1 day before the due date'],
    [0, 'on the due date'],
    [1, '1 day after the due date'],
    [7, '7 days after the due date'],
  ])('describes step %i as "%s"', (days, words) => {
    expect(describeReminderDay(days)).toBe(words);
  });
});
