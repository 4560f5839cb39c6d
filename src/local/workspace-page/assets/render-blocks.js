// @ts-check
// Block Kit as DOM: header, section (text, fields, accessory), context, divider, actions, image,
// rich_text (as its text), and a visible note for any other block. Modals add their inputs.

import { askToConfirm } from './confirm-dialog.js';
import { fragment, h, safeUrl } from './dom.js';
import { renderText } from './mrkdwn.js';

/**
 * @typedef {import('./mrkdwn.js').TextObject} TextObject
 * @typedef {import('./mrkdwn.js').MrkdwnContext} MrkdwnContext
 * @typedef {Record<string, unknown> & { type: string, block_id?: string }} Block
 * @typedef {Record<string, unknown> & { type: string, action_id?: string }} Element
 * @typedef {MrkdwnContext & {
 *   onAction: (element: Element, block: Block) => Promise<void>,
 *   renderInput?: (block: Block) => Node,
 * }} BlockContext
 */

/** @param {unknown} value @returns {value is TextObject} */
function isText(value) {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (/** @type {TextObject} */ (value).text) === 'string'
  );
}

/** @param {unknown} value @returns {Element[]} */
function elementsOf(value) {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'object' && item !== null) : [];
}

/**
 * @param {readonly Block[]} blocks
 * @param {BlockContext} context
 * @returns {DocumentFragment}
 */
export function renderBlocks(blocks, context) {
  return fragment(...blocks.map((block) => renderBlock(block, context)));
}

/** @param {Block} block @param {BlockContext} context @returns {Node} */
function renderBlock(block, context) {
  switch (block.type) {
    case 'header':
      // NOTE: h2 under the pane's h1 (or the thread's and modal's h2): headings may not skip a level.
      return h('h2', { class: 'block-header' }, isText(block.text) ? renderText(block.text, context) : null);
    case 'section':
      return renderSection(block, context);
    case 'context':
      return h(
        'div',
        { class: 'block-context' },
        elementsOf(block.elements).map((element) =>
          element.type === 'image'
            ? renderImage(element, 'context-image')
            : h('span', null, isText(element) ? renderText(element, context) : null),
        ),
      );
    case 'divider':
      return h('hr', { class: 'block-divider' });
    case 'actions':
      return h(
        'div',
        { class: 'block-actions' },
        elementsOf(block.elements).map((element) => renderElement(element, block, context)),
      );
    case 'image':
      return h(
        'figure',
        { class: 'block-image' },
        isText(block.title) ? h('figcaption', null, renderText(block.title, context)) : null,
        renderImage(block, 'image'),
      );
    case 'input':
      return context.renderInput ? context.renderInput(block) : unsupported(block.type);
    case 'rich_text':
      return h('div', { class: 'block-rich-text', text: richText(block) });
    default:
      return unsupported(block.type);
  }
}

/** @param {Block} block @param {BlockContext} context */
function renderSection(block, context) {
  const fields = elementsOf(block.fields);
  const accessory = /** @type {Element | undefined} */ (block.accessory);
  return h(
    'div',
    { class: 'block-section' },
    h(
      'div',
      { class: 'section-body' },
      isText(block.text) ? h('div', { class: 'section-text' }, renderText(block.text, context)) : null,
      fields.length > 0
        ? h(
            'div',
            { class: 'section-fields' },
            fields.map((field) =>
              h('div', { class: 'section-field' }, isText(field) ? renderText(field, context) : null),
            ),
          )
        : null,
    ),
    accessory ? h('div', { class: 'section-accessory' }, renderElement(accessory, block, context)) : null,
  );
}

/** @param {Element} element @param {Block} block @param {BlockContext} context @returns {Node} */
function renderElement(element, block, context) {
  if (element.type === 'button') return renderButton(element, block, context);
  if (element.type === 'image') return renderImage(element, 'accessory-image');
  return unsupported(element.type);
}

/**
 * A button: its style, its confirm dialog first when it has one, then the click goes to the app.
 * @param {Element} element
 * @param {Block} block
 * @param {BlockContext} context
 */
export function renderButton(element, block, context) {
  const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
  const button = h(
    'button',
    { type: 'button', class: `sk-button${style}`, 'data-action-id': element.action_id ?? '' },
    isText(element.text) ? renderText(element.text, context) : 'Button',
  );
  button.addEventListener('click', () => {
    void (async () => {
      const confirm = /** @type {import('./confirm-dialog.js').Confirm | undefined} */ (element.confirm);
      if (confirm && !(await askToConfirm(confirm, context))) return;
      const url = typeof element.url === 'string' ? safeUrl(element.url) : undefined;
      if (url !== undefined) window.open(url, '_blank', 'noopener');
      button.disabled = true;
      try {
        await context.onAction(element, block);
      } finally {
        button.disabled = false;
      }
    })();
  });
  return button;
}

/** @param {Record<string, unknown>} image @param {string} className */
function renderImage(image, className) {
  const src = typeof image.image_url === 'string' ? safeUrl(image.image_url) : undefined;
  const alt = typeof image.alt_text === 'string' ? image.alt_text : '';
  if (src === undefined) return h('span', { class: 'image-missing', text: alt || 'image' });
  return h('img', { class: className, src, alt, loading: 'lazy', referrerpolicy: 'no-referrer' });
}

/** @param {string} type */
function unsupported(type) {
  return h('div', { class: 'block-unsupported', text: `[${type} is not shown on this page]` });
}

/** Every text in a rich_text block, in order. @param {unknown} value @returns {string} */
function richText(value) {
  if (Array.isArray(value)) return value.map(richText).join('');
  if (typeof value !== 'object' || value === null) return '';
  const node = /** @type {Record<string, unknown>} */ (value);
  if (node.type === 'text' && typeof node.text === 'string') return node.text;
  if (node.type === 'link' && typeof node.url === 'string')
    return typeof node.text === 'string' ? node.text : node.url;
  if (node.type === 'emoji' && typeof node.name === 'string') return `:${node.name}:`;
  const inner = richText(node.elements);
  return node.type === 'rich_text_section' || node.type === 'rich_text_preformatted' ? `${inner}\n` : inner;
}
