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

export interface RemindersNotSentView {
  number: string;
  /** Each step that will not be sent: its days from the due date and its time ("2026-11-17 09:00 Europe/London"). */
  steps: { days: number; at: string }[];
}

/** Reminder steps whose time came before the invoice was finalized, so they are never sent. */
export function buildRemindersNotSentNotice(view: RemindersNotSentView): SlackMessage {
  const one = view.steps.length === 1;
  const which = joinNames(view.steps.map((step) => `${describeReminderDay(step.days)} (${step.at})`));
  const why = one
    ? 'its time came before the invoice was finalized, so it will not be sent'
    : 'their times came before the invoice was finalized, so they will not be sent';
  const number = escapeOutsideTextCut(view.number, 60);
  return {
    text: fallbackText(`No reminder${one ? '' : 's'} for ${view.number} ${which}: ${why}.`),
    blocks: [section(`🔕 No reminder${one ? '' : 's'} for *${number}* ${which}: ${why}.`)],
  };
}
