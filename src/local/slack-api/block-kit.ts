/** The Block Kit shapes the local Slack stores: loose enough to keep whatever the app sent. */
export interface SlackBlock {
  type: string;
  block_id?: string;
  [field: string]: unknown;
}

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
  verbatim?: boolean;
}

/** One input's entry in `view.state.values[block_id][action_id]`. */
export interface ActionState {
  type: string;
  [field: string]: unknown;
}

export type StateValues = Record<string, Record<string, ActionState>>;

/** Element types a person can act on; Slack gives each an action_id when the app leaves it out. */
export const interactiveElementTypes = new Set([
  'button',
  'checkboxes',
  'channels_select',
  'conversations_select',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'external_select',
  'file_input',
  'multi_channels_select',
  'multi_conversations_select',
  'multi_external_select',
  'multi_static_select',
  'multi_users_select',
  'number_input',
  'overflow',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'static_select',
  'timepicker',
  'url_text_input',
  'users_select',
  'workflow_button',
]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isTextObject(value: unknown): value is TextObject {
  return (
    isRecord(value) &&
    (value.type === 'plain_text' || value.type === 'mrkdwn') &&
    typeof value.text === 'string'
  );
}

/** Every interactive element of the blocks, with the block it sits in. */
export function* interactiveElements(
  blocks: readonly SlackBlock[],
): Generator<{ block: SlackBlock; element: Record<string, unknown> }> {
  for (const block of blocks) {
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...(block.elements as unknown[]));
    if (block.accessory !== undefined) candidates.push(block.accessory);
    if (block.element !== undefined) candidates.push(block.element);
    for (const element of candidates) {
      if (isRecord(element) && typeof element.action_id === 'string') yield { block, element };
    }
  }
}
