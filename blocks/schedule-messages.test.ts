import { describe, expect, it } from 'vitest';
import { buildCatchUpNote, buildScheduleProblemAlert, formatFiringTime } from './schedule-messages.ts';

const textOf = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);

describe('formatFiringTime', () => {
  it.each([
    ['2026-11-01T06:00:00Z', 'Europe/London', '1 Nov 2026, 06:00 (Europe/London)'],
    ['2026-10-01T05:00:00Z', 'Europe/London', '1 Oct 2026, 06:00 (Europe/London)'],
    ['2026-11-01T05:30:00Z', 'America/New_York', '1 Nov 2026, 01:30 (America/New_York)'],
  ])('shows %s as the clocks in %s do', (at, timezone, expected) => {
    expect(formatFiringTime(new Date(at), timezone)).toBe(expected);
  });
});

describe('buildCatchUpNote', () => {
  it('says which schedule, which period, when it should have run and that billops was down', () => {
    const note = buildCatchUpNote({
      schedule: 'monthly',
      periodLabel: 'October 2026',
      firedAt: new Date('2026-11-01T06:00:00Z'),
      timezone: 'Europe/London',
    });
    expect(note.text).toBe(
      'Catching up: schedule monthly should have billed October 2026 on 1 Nov 2026, 06:00 (Europe/London), missed while billops was down.',
    );
    expect(textOf(note)).toContain('`monthly` should have billed *October 2026* on 1 Nov 2026, 06:00');
  });
});

describe('buildScheduleProblemAlert', () => {
  it('escapes the message and says what to do for each kind of problem', () => {
    const refused = buildScheduleProblemAlert({
      schedule: 'weekly',
      periodLabel: '2026-10-26 – 2026-11-01',
      kind: 'refused',
      message: 'No customer has the id "<!channel>"',
      catchUp: true,
    });
    expect(textOf(refused)).toContain('&lt;!channel&gt;');
    expect(textOf(refused)).not.toContain('<!channel>');
    expect(textOf(refused)).toContain('import the customers');
    const notRecorded = (catchUp: boolean) =>
      textOf(
        buildScheduleProblemAlert({
          schedule: 'weekly',
          periodLabel: 'October 2026',
          kind: 'not_recorded',
          message: 'connection refused',
          catchUp,
        }),
      );
    expect(notRecorded(true)).toContain('caught up at the next start');
    expect(notRecorded(false)).toContain('catch_up: false');
  });
});
