import type {
  ActionsBlock,
  Button,
  ConfirmationDialog,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import {
  BUTTON_TEXT_MAX,
  BUTTON_VALUE_MAX,
  CONFIRM_BUTTON_MAX,
  CONFIRM_TEXT_MAX,
  CONFIRM_TITLE_MAX,
  CONTEXT_TEXT_MAX,
  FALLBACK_TEXT_MAX,
  HEADER_TEXT_MAX,
  SECTION_FIELD_MAX,
  SECTION_FIELDS_MAX,
  SECTION_TEXT_MAX,
} from './slack-limits.ts';
import { truncate } from './slack-text.ts';

// Block Kit pieces cut to Slack's limits. Texts passed as `mrkdwn` must already be escaped.

/** A message for chat.postMessage / chat.update / respond(): `text` is the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function plainText(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function fallbackText(text: string): string {
  return truncate(text, FALLBACK_TEXT_MAX);
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, HEADER_TEXT_MAX) };
}

export function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SECTION_TEXT_MAX) } };
}

/** Two columns of short facts; at most ten. */
export function sectionFields(fields: readonly string[]): SectionBlock {
  return {
    type: 'section',
    fields: fields
      .slice(0, SECTION_FIELDS_MAX)
      .map((field) => ({ type: 'mrkdwn' as const, text: truncate(field, SECTION_FIELD_MAX) })),
  };
}

export function context(mrkdwn: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, CONTEXT_TEXT_MAX) }] };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function actions(elements: Button[]): ActionsBlock {
  return { type: 'actions', elements };
}

export interface ButtonSpec {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmationDialog;
  /** A link button: Slack opens it in the browser (and still sends the action, which must be acked). */
  url?: string;
}

export function button(spec: ButtonSpec): Button {
  // A value is an id we wrote ourselves: one that does not fit is a bug, not something to cut.
  if (spec.value.length > BUTTON_VALUE_MAX) {
    throw new RangeError(`button ${spec.actionId}: value is ${spec.value.length} characters`);
  }
  return {
    type: 'button',
    action_id: spec.actionId,
    text: plainText(spec.text, BUTTON_TEXT_MAX),
    value: spec.value,
    ...(spec.style === undefined ? {} : { style: spec.style }),
    ...(spec.confirm === undefined ? {} : { confirm: spec.confirm }),
    ...(spec.url === undefined ? {} : { url: spec.url }),
  };
}

/** A confirm dialog; `mrkdwn` must already be escaped. */
export function confirmDialog(spec: {
  title: string;
  mrkdwn: string;
  confirm: string;
  deny?: string;
  style?: 'primary' | 'danger';
}): ConfirmationDialog {
  return {
    title: plainText(spec.title, CONFIRM_TITLE_MAX),
    text: { type: 'mrkdwn', text: truncate(spec.mrkdwn, CONFIRM_TEXT_MAX) },
    confirm: plainText(spec.confirm, CONFIRM_BUTTON_MAX),
    deny: plainText(spec.deny ?? 'Cancel', CONFIRM_BUTTON_MAX),
    ...(spec.style === undefined ? {} : { style: spec.style }),
  };
}
