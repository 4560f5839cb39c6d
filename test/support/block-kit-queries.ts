import type { AnyBlock, Button, HomeView, ModalView } from '@slack/types';
import { checkMessageBlocks, checkView } from '../../src/local/slack-api/block-validation.ts';

// Read-only lookups over built Block Kit, for tests here and in handlers/: find a button by its
// action_id, read every text a person would see, and ask the local Slack API what it would refuse.

/** What chat.postMessage on the local Slack API would refuse in these blocks; empty when they pass. */
export function messageBlockProblems(blocks: readonly AnyBlock[]): string[] {
  const check = checkMessageBlocks(blocks);
  return check.ok ? [] : [check.error, ...check.messages];
}

/** What views.open / views.publish on the local Slack API would refuse; empty when the view passes. */
export function viewProblems(view: ModalView | HomeView): string[] {
  const check = checkView(view, view.type);
  return check.ok ? [] : [check.error, ...check.messages];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every button in the blocks (actions elements and section accessories), in order. */
export function allButtons(blocks: readonly AnyBlock[]): Button[] {
  const buttons: Button[] = [];
  for (const block of blocks as readonly unknown[]) {
    if (!isRecord(block)) continue;
    const candidates: unknown[] = Array.isArray(block.elements) ? [...(block.elements as unknown[])] : [];
    candidates.push(block.accessory);
    for (const candidate of candidates) {
      if (isRecord(candidate) && candidate.type === 'button') buttons.push(candidate as unknown as Button);
    }
  }
  return buttons;
}

export function buttonsWithActionId(blocks: readonly AnyBlock[], actionId: string): Button[] {
  return allButtons(blocks).filter((candidate) => candidate.action_id === actionId);
}

/** Every `text` string anywhere in the value (sections, fields, context, buttons, confirm dialogs…). */
export function allTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allTexts);
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : allTexts(inner),
  );
}

/** All visible text joined by newlines, for `toContain` checks. */
export function visibleText(value: unknown): string {
  return allTexts(value).join('\n');
}
