import { describeReminderDay } from '../src/calendar/reminder-schedule.ts';
import { fallbackText, section, type SlackMessage } from './block-elements.ts';
import { escapeOutsideTextCut, joinNames } from './slack-text.ts';

// A payment reminder that went out, as a line in its invoice's thread.

export interface ReminderSentView {
  number: string;
  /** The step's days from the due date; undefined when its key cannot be read. */
  days: number | undefined;
  recipients: string[];
}

export function buildReminderSentNotice(view: ReminderSentView): SlackMessage {
  const to = joinNames(view.recipients.map((address) => escapeOutsideTextCut(address, 200)));
  const when = view.days === undefined ? '' : ` (${describeReminderDay(view.days)})`;
  return {
    text: fallbackText(`Reminder sent for ${view.number}${when} to ${view.recipients.join(', ')}`),
    blocks: [section(`🔔 Reminder sent for *${escapeOutsideTextCut(view.number, 60)}*${when} to ${to}`)],
  };
}
