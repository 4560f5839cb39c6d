// @ts-check
// A button's `confirm` object as Slack shows it: title, text, and the confirm / deny buttons.

import { byId, h } from './dom.js';
import { renderText } from './mrkdwn.js';

/**
 * @typedef {import('./mrkdwn.js').TextObject} TextObject
 * @typedef {{ title?: TextObject, text?: TextObject, confirm?: TextObject, deny?: TextObject, style?: string }} Confirm
 * @typedef {import('./mrkdwn.js').MrkdwnContext} MrkdwnContext
 */

/**
 * Shows the dialog; resolves true when the person confirms, false when they cancel.
 * @param {Confirm} confirm
 * @param {MrkdwnContext} context
 * @returns {Promise<boolean>}
 */
export function askToConfirm(confirm, context) {
  const dialog = byId('confirm-dialog', HTMLDialogElement);
  const style = confirm.style === 'danger' ? 'danger' : 'primary';
  const yes = h('button', {
    type: 'button',
    class: `sk-button ${style}`,
    text: confirm.confirm?.text ?? 'Yes',
  });
  const no = h('button', { type: 'button', class: 'sk-button', text: confirm.deny?.text ?? 'Cancel' });
  dialog.replaceChildren(
    h('h2', { id: 'confirm-title', class: 'dialog-title', text: confirm.title?.text ?? 'Are you sure?' }),
    h('div', { class: 'dialog-text' }, confirm.text ? renderText(confirm.text, context) : null),
    h('div', { class: 'dialog-buttons' }, no, yes),
  );
  return new Promise((resolve) => {
    /** @param {boolean} answer */
    const finish = (answer) => {
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onClose = () => {
      finish(false);
    };
    dialog.addEventListener('close', onClose);
    yes.addEventListener('click', () => {
      finish(true);
    });
    no.addEventListener('click', () => {
      finish(false);
    });
    dialog.showModal();
    yes.focus();
  });
}
