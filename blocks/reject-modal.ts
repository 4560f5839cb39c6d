import type { ModalView } from '@slack/types';
import { plainText, section } from './block-elements.ts';
import { REJECT_MODAL, REJECT_REASON_BLOCK, REJECT_REASON_INPUT } from './ids.ts';
import { describeInvoice, invoiceButtonValue, type InvoiceSubject } from './invoice-buttons.ts';
import { INPUT_LABEL_MAX, MODAL_BUTTON_MAX, MODAL_TITLE_MAX, PLACEHOLDER_MAX } from './slack-limits.ts';

/** Longest rejection reason the modal accepts; the handler's schema should use the same number. */
export const REJECT_REASON_MAX_LENGTH = 1000;

export type RejectModalInput = InvoiceSubject;

/** Asks why the invoice is rejected; private_metadata carries the invoice and the version on the card. */
export function buildRejectModal(input: RejectModalInput): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_MODAL,
    private_metadata: invoiceButtonValue(input.invoiceId, input.version),
    title: plainText('Reject invoice', MODAL_TITLE_MAX),
    submit: plainText('Reject', MODAL_BUTTON_MAX),
    close: plainText('Cancel', MODAL_BUTTON_MAX),
    blocks: [
      section(
        `Reject the invoice to ${describeInvoice(input)}? The reason is shown on the card and kept in the audit log.`,
      ),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        optional: false,
        label: plainText('Reason', INPUT_LABEL_MAX),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_INPUT,
          multiline: true,
          min_length: 1,
          max_length: REJECT_REASON_MAX_LENGTH,
          placeholder: plainText(
            'What is wrong, and what should change before it is billed?',
            PLACEHOLDER_MAX,
          ),
        },
      },
    ],
  };
}
