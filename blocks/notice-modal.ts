import type { KnownBlock, ModalView } from '@slack/types';
import { plainText, section } from './block-elements.ts';
import { MODAL_BUTTON_MAX, MODAL_TITLE_MAX } from './slack-limits.ts';
import type { SlackMessage } from './block-elements.ts';

/**
 * An answer to one person, shown where they are: a small modal over the App Home or the modal they
 * clicked in, so it never depends on a channel they may not be in.
 */
export function buildNoticeModal(title: string, message: string | SlackMessage): ModalView {
  const blocks: KnownBlock[] = typeof message === 'string' ? [section(message)] : message.blocks;
  return {
    type: 'modal',
    title: plainText(title, MODAL_TITLE_MAX),
    close: plainText('Close', MODAL_BUTTON_MAX),
    blocks: blocks.length === 0 ? [section(typeof message === 'string' ? message : message.text)] : blocks,
  };
}
