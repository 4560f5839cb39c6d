import { context, fallbackText, section, type SlackMessage } from './block-elements.ts';
import { inlineCode } from './mrkdwn.ts';
import { escapeOutsideTextCut } from './slack-text.ts';

// What the billing and alerts channels are told about schedules themselves (a scheduled run's summary
// is the ordinary run summary, started by `schedule:<name>`).

export interface ScheduleFiringView {
  schedule: string;
  /** "October 2026". */
  periodLabel: string;
  /** When the schedule fired, or should have. */
  firedAt: Date;
  timezone: string;
}

/** "1 Nov 2026, 06:00 (Europe/London)": the firing time as the schedule's zone shows it. */
export function formatFiringTime(firedAt: Date, timezone: string): string {
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(firedAt);
  return `${local} (${timezone})`;
}

/** Posted before a caught-up run starts, so the summary that follows is not mistaken for a normal firing. */
export function buildCatchUpNote(view: ScheduleFiringView): SlackMessage {
  const when = formatFiringTime(view.firedAt, view.timezone);
  const period = escapeOutsideTextCut(view.periodLabel, 100);
  return {
    text: fallbackText(
      `Catching up: schedule ${view.schedule} should have billed ${view.periodLabel} on ${when}, missed while billops was down.`,
    ),
    blocks: [
      section(
        `:alarm_clock: *Catching up a missed schedule.* ${inlineCode(view.schedule)} should have billed *${period}* on ${escapeOutsideTextCut(when, 100)}, missed while billops was down. Billing it now; the run's summary follows.`,
      ),
    ],
  };
}

export interface ScheduleProblemView {
  schedule: string;
  periodLabel: string;
  /** refused: the run was refused (its customers are unknown); not_recorded: the firing could not be saved. */
  kind: 'refused' | 'not_recorded';
  /** Already written for a finance person. */
  message: string;
  /** Whether the next start catches a missed firing up. */
  catchUp: boolean;
}

const NEXT_STEP: Record<ScheduleProblemView['kind'], (catchUp: boolean) => string> = {
  refused: () =>
    'Fix `schedules` in billing.yml or import the customers, then start the run with `/invoice run`.',
  not_recorded: (catchUp) =>
    catchUp
      ? 'It is caught up at the next start, or start it now with `/invoice run`.'
      : 'Start it with `/invoice run` (this schedule has catch_up: false).',
};

/** A scheduled run that did not start: what, why and what to do. */
export function buildScheduleProblemAlert(view: ScheduleProblemView): SlackMessage {
  const period = escapeOutsideTextCut(view.periodLabel, 100);
  return {
    text: fallbackText(
      `Schedule ${view.schedule} could not start billing for ${view.periodLabel}: ${view.message}`,
    ),
    blocks: [
      section(
        `:warning: Schedule ${inlineCode(view.schedule)} could not start billing for *${period}*. ${escapeOutsideTextCut(view.message, 1000)}`,
      ),
      context(NEXT_STEP[view.kind](view.catchUp)),
    ],
  };
}
