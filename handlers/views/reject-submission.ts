import type { Middleware, SlackViewMiddlewareArgs } from '@slack/bolt';
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT } from '../../blocks/ids.ts';
import { REJECT_REASON_MAX_LENGTH } from '../../blocks/reject-modal.ts';
import { rejectInvoice } from '../../src/approval/reject-invoice.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { storableTextProblem } from '../../src/text/storable-text.ts';
import { MIN_REASON_WORDS, reasonIsEnough } from '../../src/invoices/void-invoice.ts';
import { postRejectionNote } from '../../src/slack/post-rejection-note.ts';
import { parseInvoiceMetadata } from '../actions/action-values.ts';
import { rejectMessage } from '../actions/decision-messages.ts';
import { buildNoticeModal } from '../../blocks/notice-modal.ts';

const storableProblem = (reason: string) => {
  const problem = storableTextProblem(reason);
  return problem === undefined ? undefined : `The reason ${problem}.`;
};

/** The Reject modal's submit: a reason is required; the decision is the use case's compare-and-set. */
export function rejectSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs> {
  return async ({ ack, view, body }) => {
    const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value?.trim() ?? '';
    const value = parseInvoiceMetadata(view.private_metadata);
    const refusal =
      value === undefined
        ? 'This form is out of date: close it and use Reject on the invoice’s current card.'
        : reason === ''
          ? 'Say why, so it can be fixed.'
          : !reasonIsEnough(reason)
            ? `Say why in a few words (at least ${MIN_REASON_WORDS}): whoever fixes the data reads only this.`
            : reason.length > REJECT_REASON_MAX_LENGTH
              ? `Keep the reason under ${REJECT_REASON_MAX_LENGTH} characters (it has ${reason.length}).`
              : storableProblem(reason);
    if (refusal !== undefined || value === undefined) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK]: refusal ?? '' } });
      return;
    }
    // NOTE: decided before the ack (a compare-and-set, well inside Slack's 3 s), so a refusal is shown in
    // the modal itself, wherever the person opened it: never in a channel they may not be in.
    const result = await rejectInvoice(deps, { ...value, userId: body.user.id, reason });
    const message = result.code === 'rejected' ? undefined : rejectMessage(result);
    if (message !== undefined) {
      await ack({ response_action: 'update', view: buildNoticeModal('Reject invoice', message) });
      return;
    }
    await ack();
    if (result.code === 'rejected') await postRejectionNote(deps, result.invoiceId);
  };
}
