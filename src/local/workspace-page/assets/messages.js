// @ts-check
// Messages as Slack lays them out: author, time, blocks (or the text when there are none), files,
// the thread's reply count, and "Only visible to you" on ephemeral messages.

import { formatBytes, formatTs, h } from './dom.js';
import { renderMrkdwn } from './mrkdwn.js';
import { renderBlocks } from './render-blocks.js';

/**
 * @typedef {{ id: string, name: string, title: string, mimetype: string, size: number, url: string }} FileView
 * @typedef {{
 *   ts: string, channel: string, user: string, author: string, isBot: boolean, text: string,
 *   blocks: import('./render-blocks.js').Block[], files: FileView[], threadTs: string | null,
 *   replyCount: number, ephemeral: boolean, edited: boolean,
 * }} MessageView
 * @typedef {{ channelId?: string, messageTs?: string, viewId?: string, actionId: string, blockId?: string, value?: string }} Click
 * @typedef {import('./mrkdwn.js').MrkdwnContext & {
 *   click: (click: Click) => Promise<void>,
 *   openThread: (channel: string, ts: string) => void,
 * }} PageContext
 */

/**
 * The block context for one message or view: its buttons click on it.
 * @param {PageContext} context
 * @param {{ channelId?: string, messageTs?: string, viewId?: string }} where
 * @returns {import('./render-blocks.js').BlockContext}
 */
export function blockContextFor(context, where) {
  return {
    ...context,
    onAction: (element, block) =>
      context.click({
        ...where,
        actionId: typeof element.action_id === 'string' ? element.action_id : '',
        ...(typeof block.block_id === 'string' ? { blockId: block.block_id } : {}),
        ...(typeof element.value === 'string' ? { value: element.value } : {}),
      }),
  };
}

/**
 * @param {MessageView} message
 * @param {PageContext} context
 * @param {{ inThread?: boolean }} [options]
 */
export function renderMessage(message, context, options = {}) {
  const blocks = blockContextFor(context, { channelId: message.channel, messageTs: message.ts });
  const body =
    message.blocks.length > 0
      ? renderBlocks(message.blocks, blocks)
      : message.text === ''
        ? null
        : h('div', { class: 'message-text' }, renderMrkdwn(message.text, context));
  return h(
    'article',
    {
      class: `message${message.ephemeral ? ' ephemeral' : ''}`,
      'data-ts': message.ts,
      'aria-label': `Message from ${message.author}`,
    },
    h(
      'div',
      { class: 'message-meta' },
      h('strong', { class: 'message-author', text: message.author }),
      message.isBot ? h('span', { class: 'app-badge', text: 'APP' }) : null,
      h('time', { class: 'message-time', text: formatTs(message.ts) }),
      message.edited ? h('span', { class: 'message-edited', text: '(edited)' }) : null,
    ),
    message.ephemeral ? h('div', { class: 'ephemeral-note', text: '👁 Only visible to you' }) : null,
    // A file upload's comment is its text, shown above the file as Slack does.
    h('div', { class: 'message-body' }, body, message.files.map(renderFile)),
    !options.inThread && message.replyCount > 0
      ? h('button', {
          type: 'button',
          class: 'thread-link',
          text: `${message.replyCount} ${message.replyCount === 1 ? 'reply' : 'replies'}`,
          onclick: () => {
            context.openThread(message.channel, message.ts);
          },
        })
      : null,
  );
}

/** @param {FileView} file */
function renderFile(file) {
  const kind = file.name.split('.').pop()?.toUpperCase() ?? 'FILE';
  return h(
    'a',
    {
      class: 'file-card',
      href: file.url,
      target: '_blank',
      rel: 'noopener',
    },
    // NOTE: the link's name is the text it shows (WCAG 2.5.3), so "INV-….pdf" read aloud is what a
    // sighted person sees; the kind badge repeats the extension and stays out of it.
    h('span', { class: 'file-icon', 'aria-hidden': 'true', text: kind }),
    h(
      'span',
      { class: 'file-details' },
      h('span', { class: 'file-name', text: file.name }),
      h('span', { class: 'file-size', text: `${formatBytes(file.size)} · ${file.mimetype}` }),
    ),
  );
}
