// @ts-check
// The person's open modal (the top of their stack): title, blocks with inputs, Submit and Close.
// Required inputs and min_length are checked here first, as Slack's client does; the app's own
// response_action errors then appear under the inputs they name.

import { byId, h, keyboardScrollable } from './dom.js';
import { renderText } from './mrkdwn.js';
import { blockContextFor } from './messages.js';
import { renderBlocks } from './render-blocks.js';

/**
 * @typedef {import('./render-blocks.js').Block} Block
 * @typedef {import('./render-blocks.js').Element} Element
 * @typedef {import('./mrkdwn.js').TextObject} TextObject
 * @typedef {{ id: string, title: TextObject | null, submit: TextObject | null, close: TextObject | null, blocks: Block[], depth: number }} ModalSnapshot
 * @typedef {Record<string, Record<string, string | string[]>>} Values
 * @typedef {{ errors: Record<string, string> | null, error: string | null }} SubmitReply
 * @typedef {import('./messages.js').PageContext & {
 *   submitView: (viewId: string, values: Values) => Promise<SubmitReply>,
 *   closeView: (viewId: string) => Promise<void>,
 * }} ModalContext
 */

/** @typedef {{ blockId: string, actionId: string, optional: boolean, element: Element, read: () => string | string[] | null, error: HTMLElement }} InputField */

export class ModalHost {
  /** @param {ModalContext} context */
  constructor(context) {
    this.context = context;
    this.dialog = byId('modal-dialog', HTMLDialogElement);
    /** @type {string | null} */
    this.shownKey = null;
    /** @type {InputField[]} */
    this.fields = [];
    /** @type {ModalSnapshot | null} */
    this.modal = null;
    /** @type {HTMLElement | null} */
    this.status = null;
    this.dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      void this.close();
    });
  }

  /** Shows the modal, or closes the dialog when there is none; typed input survives unchanged views. @param {ModalSnapshot | null} modal */
  show(modal) {
    const key =
      modal === null
        ? null
        : JSON.stringify([modal.id, modal.title, modal.submit, modal.close, modal.blocks]);
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.modal = modal;
    if (modal === null) {
      if (this.dialog.open) this.dialog.close();
      this.dialog.replaceChildren();
      return;
    }
    this.render(modal);
    if (!this.dialog.open) this.dialog.showModal();
  }

  /** @param {ModalSnapshot} modal */
  render(modal) {
    this.fields = [];
    const titleId = `modal-title-${modal.id}`;
    const blockContext = {
      ...blockContextFor(this.context, { viewId: modal.id }),
      renderInput: (/** @type {Block} */ block) => this.renderInput(block),
    };
    this.status = h('div', { class: 'modal-status', role: 'alert' });
    const body = h('div', { class: 'modal-body' }, renderBlocks(modal.blocks, blockContext));
    keyboardScrollable(body);
    const form = h(
      'form',
      { class: 'modal-form', novalidate: true },
      h(
        'header',
        { class: 'modal-header' },
        h(
          'h2',
          { id: titleId, class: 'modal-title' },
          modal.title ? renderText(modal.title, this.context) : 'App',
        ),
        h('button', {
          type: 'button',
          class: 'modal-x',
          'aria-label': 'Close',
          text: '×',
          onclick: () => void this.close(),
        }),
      ),
      body,
      this.status,
      h(
        'footer',
        { class: 'modal-footer' },
        h('button', {
          type: 'button',
          class: 'sk-button',
          text: modal.close?.text ?? 'Cancel',
          onclick: () => void this.close(),
        }),
        modal.submit
          ? h('button', { type: 'submit', class: 'sk-button primary', text: modal.submit.text })
          : null,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.dialog.setAttribute('aria-labelledby', titleId);
    this.dialog.replaceChildren(form);
  }

  /** @param {Block} block @returns {Node} */
  renderInput(block) {
    const element = /** @type {Element} */ (block.element ?? { type: 'unknown' });
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    const actionId = typeof element.action_id === 'string' ? element.action_id : '';
    const optional = block.optional === true;
    const inputId = `input-${blockId}-${actionId}`;
    const control = inputControl(element, inputId);
    const error = h('div', { class: 'input-error', role: 'alert', 'data-block-id': blockId });
    if (control !== null) {
      this.fields.push({ blockId, actionId, optional, element, read: control.read, error });
      // An error is about what was there when it was given: changing the input clears it, as in Slack.
      control.node.addEventListener('input', () => {
        error.textContent = '';
      });
    }
    const label = /** @type {TextObject | undefined} */ (block.label);
    const hint = /** @type {TextObject | undefined} */ (block.hint);
    return h(
      'div',
      { class: 'block-input' },
      h(
        'label',
        { class: 'input-label', for: inputId },
        label ? renderText(label, this.context) : '',
        optional ? h('span', { class: 'input-optional', text: ' (optional)' }) : null,
      ),
      control?.node ??
        h('div', { class: 'block-unsupported', text: `[${element.type} is not shown on this page]` }),
      hint ? h('div', { class: 'input-hint' }, renderText(hint, this.context)) : null,
      error,
    );
  }

  async submit() {
    const modal = this.modal;
    if (!modal) return;
    /** @type {Values} */
    const values = {};
    let complete = true;
    for (const field of this.fields) {
      field.error.textContent = '';
      const value = field.read();
      const empty = value === null || value.length === 0;
      const minLength = typeof field.element.min_length === 'number' ? field.element.min_length : 0;
      if (empty && !field.optional) {
        field.error.textContent = 'Please complete this required field.';
        complete = false;
      } else if (typeof value === 'string' && value.length > 0 && value.length < minLength) {
        field.error.textContent = `Please enter at least ${minLength} characters.`;
        complete = false;
      }
      if (!empty && value !== null)
        values[field.blockId] = { ...values[field.blockId], [field.actionId]: value };
    }
    if (!complete) return;
    this.setStatus('');
    try {
      const reply = await this.context.submitView(modal.id, values);
      for (const [blockId, message] of Object.entries(reply.errors ?? {})) {
        const field = this.fields.find((candidate) => candidate.blockId === blockId);
        if (field) field.error.textContent = message;
        else this.setStatus(message);
      }
      if (reply.error) this.setStatus(reply.error);
    } catch (error) {
      this.setStatus(error instanceof Error ? error.message : String(error));
    }
  }

  async close() {
    const modal = this.modal;
    if (!modal) return;
    try {
      await this.context.closeView(modal.id);
    } catch (error) {
      this.setStatus(error instanceof Error ? error.message : String(error));
    }
  }

  /** @param {string} message */
  setStatus(message) {
    if (this.status) this.status.textContent = message;
  }
}

/**
 * The form control for an input element and how to read it; null for elements this page does not offer.
 * @param {Element} element
 * @param {string} id
 * @returns {{ node: HTMLElement, read: () => string | string[] | null } | null}
 */
function inputControl(element, id) {
  const placeholder = /** @type {TextObject | undefined} */ (element.placeholder)?.text;
  switch (element.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const initial = typeof element.initial_value === 'string' ? element.initial_value : '';
      const maxLength = typeof element.max_length === 'number' ? element.max_length : undefined;
      const node =
        element.multiline === true
          ? h('textarea', { id, rows: 4, placeholder, maxlength: maxLength })
          : h('input', { id, type: inputType(element.type), placeholder, maxlength: maxLength });
      node.value = initial;
      return { node, read: () => node.value.trim() };
    }
    case 'datepicker': {
      const node = h('input', { id, type: 'date' });
      node.value = typeof element.initial_date === 'string' ? element.initial_date : '';
      return { node, read: () => node.value };
    }
    case 'static_select': {
      const node = h('select', { id }, h('option', { value: '', text: placeholder ?? 'Select an option' }));
      const groups = Array.isArray(element.option_groups) ? element.option_groups : [];
      for (const option of optionsOf(element.options)) node.append(optionNode(option));
      for (const group of groups) {
        const label = /** @type {{ label?: TextObject }} */ (group).label?.text ?? '';
        node.append(
          h(
            'optgroup',
            { label },
            optionsOf(/** @type {{ options?: unknown }} */ (group).options).map(optionNode),
          ),
        );
      }
      const initial = /** @type {{ value?: string } | undefined} */ (element.initial_option)?.value;
      if (initial !== undefined) node.value = initial;
      return { node, read: () => (node.value === '' ? null : node.value) };
    }
    default:
      return null;
  }
}

/** @param {unknown} type */
function inputType(type) {
  if (type === 'email_text_input') return 'email';
  if (type === 'url_text_input') return 'url';
  if (type === 'number_input') return 'number';
  return 'text';
}

/** @typedef {{ text?: TextObject, value?: string }} Option */

/** @param {unknown} options @returns {Option[]} */
function optionsOf(options) {
  return Array.isArray(options) ? options : [];
}

/** @param {Option} option */
function optionNode(option) {
  return h('option', { value: option.value ?? '', text: option.text?.text ?? option.value ?? '' });
}
