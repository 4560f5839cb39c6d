import { fallbackText, section } from './block-elements.ts';
import type { CommandReply } from './command-replies.ts';
import { SLASH_COMMAND } from './ids.ts';
import { inlineCode } from './mrkdwn.ts';
import { escapeOutsideTextCut, formatAmount, slackDateTime, truncate } from './slack-text.ts';

/** The flag that confirms a money command equal to one the same person sent minutes ago. */
export const AGAIN_FLAG = '--again';

// Replies to a money command that repeats one the same person sent minutes ago: nothing was done; the
// earlier one is shown, with the exact command that does it again.

export interface RepeatedPaymentView {
  number: string;
  amount: string;
  currency: string;
  paidOn: string;
  recordedAt: Date;
  /** The text after `/invoice`, as typed. */
  commandText: string;
}

export interface RepeatedCreditView {
  invoiceNumber: string;
  creditNoteNumber: string;
  amount: string;
  currency: string;
  issuedAt: Date;
  commandText: string;
}

export function buildRepeatedPaymentReply(view: RepeatedPaymentView): CommandReply {
  const number = escapeOutsideTextCut(view.number, 60);
  const amount = formatAmount(view.amount, view.currency);
  return repeatedReply({
    earlier: `You recorded a payment of *${amount}* against *${number}*, received on ${view.paidOn}`,
    at: view.recordedAt,
    notDone: 'Nothing was recorded now',
    ifNew: 'If this is another payment of the same amount',
    commandText: view.commandText,
  });
}

export function buildRepeatedCreditReply(view: RepeatedCreditView): CommandReply {
  const number = escapeOutsideTextCut(view.invoiceNumber, 60);
  const note = escapeOutsideTextCut(view.creditNoteNumber, 60);
  const amount = formatAmount(view.amount, view.currency);
  return repeatedReply({
    earlier: `You issued credit note *${note}* for *${amount}* against *${number}*`,
    at: view.issuedAt,
    notDone: 'No credit note was issued now',
    ifNew: 'If the customer is owed another credit of the same amount',
    commandText: view.commandText,
  });
}

function repeatedReply(input: {
  earlier: string;
  at: Date;
  notDone: string;
  ifNew: string;
  commandText: string;
}): CommandReply {
  const again = inlineCode(truncate(`${SLASH_COMMAND} ${input.commandText.trim()} ${AGAIN_FLAG}`, 1000));
  const earlier = `${input.earlier} at ${slackDateTime(input.at)}.`;
  const why = `${input.notDone}, in case the same command was sent twice.`;
  const confirm = `${input.ifNew}, type ${again}.`;
  return {
    response_type: 'ephemeral',
    text: fallbackText(`Again? ${earlier} ${why} ${confirm}`.replace(/\*/g, '')),
    blocks: [section(`:raised_hand: *Again?* ${earlier}`), section(why), section(confirm)],
  };
}
