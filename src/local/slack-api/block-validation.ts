import { randomBytes } from 'node:crypto';

import {
  interactiveElementTypes,
  isRecord,
  isTextObject,
  type SlackBlock,
  type TextObject,
} from './block-kit.ts';

// NOTE: limits from Slack's Block Kit reference; messages mimic the `[ERROR] … [json-pointer:…]` lines
// Slack returns in `response_metadata.messages`.
const messageBlockLimit = 50;
const viewBlockLimit = 100;
const viewJsonLimit = 250_000;

const knownBlockTypes = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

export type BlocksCheck =
  | { ok: true; blocks: SlackBlock[] }
  | {
      ok: false;
      error: 'invalid_blocks' | 'invalid_blocks_format' | 'msg_blocks_too_long';
      messages: string[];
    };

export interface ViewDefinition {
  type: 'modal' | 'home';
  title?: TextObject;
  submit?: TextObject;
  close?: TextObject;
  blocks: SlackBlock[];
  callbackId: string;
  privateMetadata: string;
  externalId: string;
  notifyOnClose: boolean;
  clearOnClose: boolean;
  submitDisabled: boolean;
}

export type ViewCheck =
  | { ok: true; view: ViewDefinition }
  | { ok: false; error: 'invalid_arguments' | 'view_too_large'; messages: string[] };

class Problems {
  readonly messages: string[] = [];

  add(message: string, pointer: string): void {
    this.messages.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }

  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max) {
      this.add(`must be less than ${max + 1} characters`, pointer);
    }
  }

  text(
    value: unknown,
    pointer: string,
    rules: { max: number; plainOnly?: boolean; required?: boolean },
  ): void {
    if (value === undefined) {
      if (rules.required === true)
        this.add(`missing required field: ${pointer.split('/').pop() ?? ''}`, pointer);
      return;
    }
    if (!isTextObject(value)) {
      this.add('must be a text object', pointer);
      return;
    }
    if (rules.plainOnly === true && value.type !== 'plain_text') {
      this.add('must be plain_text', `${pointer}/type`);
    }
    if (value.text.length === 0) this.add('must be more than 0 characters', `${pointer}/text`);
    this.maxLength(value.text, rules.max, `${pointer}/text`);
  }
}

function parseJsonArgument(raw: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof raw !== 'string') return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

function checkElement(element: unknown, pointer: string, problems: Problems): void {
  if (!isRecord(element) || typeof element.type !== 'string') {
    problems.add('missing required field: type', pointer);
    return;
  }
  problems.maxLength(element.action_id, 255, `${pointer}/action_id`);
  if (element.type === 'button') {
    problems.text(element.text, `${pointer}/text`, { max: 75, plainOnly: true, required: true });
    problems.maxLength(element.value, 2000, `${pointer}/value`);
    problems.maxLength(element.url, 3000, `${pointer}/url`);
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
      problems.add('must be one of primary, danger', `${pointer}/style`);
    }
  }
}

function checkElementList(
  elements: unknown,
  max: number,
  pointer: string,
  problems: Problems,
  interactive: boolean,
): void {
  if (!Array.isArray(elements) || elements.length === 0) {
    problems.add('must provide at least 1 items', pointer);
    return;
  }
  if (elements.length > max) problems.add(`no more than ${max} items allowed`, pointer);
  if (!interactive) return;
  const actionIds = new Set<string>();
  elements.forEach((element: unknown, index) => {
    checkElement(element, `${pointer}/${index}`, problems);
    if (isRecord(element) && typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) {
        problems.add(`duplicate action_id: ${element.action_id}`, `${pointer}/${index}/action_id`);
      }
      actionIds.add(element.action_id);
    }
  });
}

function checkBlock(block: Record<string, unknown>, pointer: string, problems: Problems): void {
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        problems.add('must provide either text or fields', pointer);
      }
      problems.text(block.text, `${pointer}/text`, { max: 3000 });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) problems.add('must be an array', `${pointer}/fields`);
        else {
          if (block.fields.length > 10) problems.add('no more than 10 items allowed', `${pointer}/fields`);
          block.fields.forEach((field: unknown, index) => {
            problems.text(field, `${pointer}/fields/${index}`, { max: 2000 });
          });
        }
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${pointer}/accessory`, problems);
      return;
    case 'header':
      problems.text(block.text, `${pointer}/text`, { max: 150, plainOnly: true, required: true });
      return;
    case 'actions':
      checkElementList(block.elements, 25, `${pointer}/elements`, problems, true);
      return;
    case 'context':
      checkElementList(block.elements, 10, `${pointer}/elements`, problems, false);
      return;
    case 'input':
      problems.text(block.label, `${pointer}/label`, { max: 2000, plainOnly: true, required: true });
      problems.text(block.hint, `${pointer}/hint`, { max: 2000, plainOnly: true });
      if (block.element === undefined) problems.add('missing required field: element', pointer);
      else checkElement(block.element, `${pointer}/element`, problems);
      return;
    case 'image':
      if (block.image_url === undefined && block.slack_file === undefined) {
        problems.add('missing required field: image_url', pointer);
      }
      if (typeof block.alt_text !== 'string') problems.add('missing required field: alt_text', pointer);
      problems.maxLength(block.alt_text, 2000, `${pointer}/alt_text`);
      return;
    case 'markdown':
      if (typeof block.text !== 'string') problems.add('missing required field: text', pointer);
      problems.maxLength(block.text, 12_000, `${pointer}/text`);
      return;
    default:
      return;
  }
}

function generatedId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}

/** Slack fills in a block_id on every block and an action_id on every interactive element left without one. */
function withGeneratedIds(block: SlackBlock): SlackBlock {
  const copy = structuredClone(block);
  copy.block_id ??= generatedId();
  const elements: unknown[] = Array.isArray(copy.elements) ? [...(copy.elements as unknown[])] : [];
  elements.push(copy.accessory, copy.element);
  for (const element of elements) {
    if (isRecord(element) && typeof element.type === 'string' && interactiveElementTypes.has(element.type)) {
      element.action_id ??= generatedId();
    }
  }
  return copy;
}

function checkBlockList(raw: unknown, max: number, pointer: string, problems: Problems): SlackBlock[] {
  if (!Array.isArray(raw)) {
    problems.add('must be an array', pointer);
    return [];
  }
  if (raw.length > max) problems.add(`no more than ${max} items allowed`, pointer);
  const blockIds = new Set<string>();
  const blocks: SlackBlock[] = [];
  raw.forEach((candidate: unknown, index) => {
    const at = `${pointer}/${index}`;
    if (!isRecord(candidate) || typeof candidate.type !== 'string') {
      problems.add('missing required field: type', at);
      return;
    }
    const { type, block_id: blockId } = candidate;
    if (!knownBlockTypes.has(type)) {
      problems.add(`unsupported type: ${type}`, `${at}/type`);
      return;
    }
    if (blockId !== undefined) {
      if (typeof blockId !== 'string') problems.add('must be a string', `${at}/block_id`);
      else {
        problems.maxLength(blockId, 255, `${at}/block_id`);
        if (blockIds.has(blockId)) problems.add(`duplicate block_id: ${blockId}`, `${at}/block_id`);
        blockIds.add(blockId);
      }
    }
    checkBlock(candidate, at, problems);
    blocks.push(withGeneratedIds({ ...candidate, type }));
  });
  return blocks;
}

/** Checks a message's `blocks` argument (a JSON string from a form or an array) the way chat.* methods do. */
export function checkMessageBlocks(raw: unknown): BlocksCheck {
  if (raw === undefined || raw === '') return { ok: true, blocks: [] };
  const parsed = parseJsonArgument(raw);
  if (!parsed.ok || !Array.isArray(parsed.value)) {
    return { ok: false, error: 'invalid_blocks_format', messages: [] };
  }
  const problems = new Problems();
  const blocks = checkBlockList(parsed.value, messageBlockLimit, '/blocks', problems);
  if (problems.messages.length > 0)
    return { ok: false, error: 'invalid_blocks', messages: problems.messages };
  if (textInBlocks(blocks) > messageBlocksTextMax)
    return { ok: false, error: 'msg_blocks_too_long', messages: [] };
  return { ok: true, blocks };
}

// NOTE: chat.postMessage / chat.update error msg_blocks_too_long ("Blocks submitted with this message
// are too long", docs.slack.dev/reference/methods/chat.postMessage). Slack publishes no figure; the
// text of a message's blocks together is refused from about 13,000 characters. The local Slack refuses
// over 12,000, a little earlier, so an app that fits here fits in Slack.
const messageBlocksTextMax = 12_000;

/** Every character of text a person could read in the blocks (mrkdwn and plain text alike). */
function textInBlocks(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((total, item) => total + textInBlocks(item), 0);
  if (!isRecord(value)) return 0;
  return Object.entries(value).reduce<number>(
    (total, [key, item]) =>
      total + (key === 'text' && typeof item === 'string' ? item.length : textInBlocks(item)),
    0,
  );
}

function optionalString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function optionalFlag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Checks a `view` argument for views.open/push/update (modal) or views.publish (home). */
export function checkView(raw: unknown, expected: 'modal' | 'home' | 'any'): ViewCheck {
  const parsed = parseJsonArgument(raw);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return {
      ok: false,
      error: 'invalid_arguments',
      messages: ['[ERROR] failed to parse view [json-pointer:/view]'],
    };
  }
  const view = parsed.value;
  if (JSON.stringify(view).length > viewJsonLimit) {
    return { ok: false, error: 'view_too_large', messages: [] };
  }
  const problems = new Problems();
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    problems.add('must be one of modal, home', '/view/type');
    return { ok: false, error: 'invalid_arguments', messages: problems.messages };
  }
  if (expected !== 'any' && type !== expected) {
    problems.add(`must be ${expected}`, '/view/type');
  }
  const blocks = checkBlockList(view.blocks, viewBlockLimit, '/view/blocks', problems);
  if (type === 'modal') {
    problems.text(view.title, '/view/title', { max: 24, plainOnly: true, required: true });
    problems.text(view.submit, '/view/submit', { max: 24, plainOnly: true });
    problems.text(view.close, '/view/close', { max: 24, plainOnly: true });
    const firstInput = blocks.findIndex((block) => block.type === 'input');
    if (firstInput >= 0 && view.submit === undefined) {
      problems.add(
        'must define `submit` to use an `input` block in modals',
        `/view/blocks/${firstInput}/input`,
      );
    }
  }
  problems.maxLength(view.callback_id, 255, '/view/callback_id');
  problems.maxLength(view.private_metadata, 3000, '/view/private_metadata');
  problems.maxLength(view.external_id, 255, '/view/external_id');
  if (problems.messages.length > 0)
    return { ok: false, error: 'invalid_arguments', messages: problems.messages };
  const definition: ViewDefinition = {
    type,
    blocks,
    callbackId: optionalString(view.callback_id),
    privateMetadata: optionalString(view.private_metadata),
    externalId: optionalString(view.external_id),
    notifyOnClose: optionalFlag(view.notify_on_close),
    clearOnClose: optionalFlag(view.clear_on_close),
    submitDisabled: optionalFlag(view.submit_disabled),
  };
  if (isTextObject(view.title)) definition.title = view.title;
  if (isTextObject(view.submit)) definition.submit = view.submit;
  if (isTextObject(view.close)) definition.close = view.close;
  return { ok: true, view: definition };
}
