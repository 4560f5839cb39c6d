import { context, fallbackText, section, type SlackMessage } from './block-elements.ts';
import type { CommandReply } from './command-replies.ts';
import { escapeOutsideTextCut, formatAmount, mentionActor } from './slack-text.ts';

// Corrections of a finalized invoice (a void, a credit note), told in its thread, in the alerts
// channel when the ERP refuses one, and to the approver who typed the command.

const ERP_NAMES = { xero: 'Xero', quickbooks: 'QuickBooks' } as const;
const REASON_MAX = 500;

export interface VoidNewsView {
  number: string;
  reason: string;
  /** Slack user id of the approver who voided it. */
  voidedBy: string;
}

/** "🚫 Voided INV-… by @ann: reason" in the invoice's thread. */
export function buildVoidNotice(view: VoidNewsView): SlackMessage {
  const number = escapeOutsideTextCut(view.number, 60);
  const reason = escapeOutsideTextCut(view.reason, REASON_MAX);
  return {
    text: fallbackText(`Voided ${view.number}: ${view.reason}`),
    blocks: [
      section(`🚫 Voided *${number}* by ${mentionActor(view.voidedBy)}`),
      context(`Reason: ${reason}`),
    ],
  };
}

export interface ErpVoidNewsView {
  number: string;
  provider: 'xero' | 'quickbooks';
  /** Undefined when the ERP voided it; the ERP's refusal, for a finance person, otherwise. */
  error: string | undefined;
  threadLink: string | null;
}

/** The ERP side of a void: done, or refused with the ERP's reason (also sent to the alerts channel). */
export function buildErpVoidNotice(view: ErpVoidNewsView): SlackMessage {
  const erp = ERP_NAMES[view.provider];
  const number = escapeOutsideTextCut(view.number, 60);
  if (view.error === undefined) {
    return {
      text: `Voided ${view.number} in ${erp} too`,
      blocks: [section(`📒 Voided *${number}* in ${erp} too`)],
    };
  }
  const error = escapeOutsideTextCut(view.error, REASON_MAX);
  const link = view.threadLink === null ? '' : ` · <${view.threadLink}|invoice thread>`;
  return {
    text: fallbackText(`${erp} did not void ${view.number}: ${view.error}`),
    blocks: [
      section(`⚠️ *${number}* is void in billops, but ${erp} did not void it: ${error}`),
      context(`Void it in ${erp} by hand once the cause is fixed${link}`),
    ],
  };
}

/** `/invoice void`: what was done. Only the approver who typed it sees this. */
export function buildVoidedReply(view: {
  number: string;
  erpVoid: boolean;
  remindersCancelled: number;
}): CommandReply {
  const number = escapeOutsideTextCut(view.number, 60);
  const erp = view.erpVoid ? ' It is being voided in the ERP too.' : '';
  const reminders =
    view.remindersCancelled > 0 ? ` ${view.remindersCancelled} queued reminder(s) will not be sent.` : '';
  const text = `Voided ${number}.${erp}${reminders}`;
  return {
    response_type: 'ephemeral',
    text: fallbackText(text),
    blocks: [section(`🚫 ${text}`), context("It is posted in the invoice's thread and in the audit log.")],
  };
}

export interface CreditNoteNewsView {
  creditNoteNumber: string;
  invoiceNumber: string;
  /** Tax included. */
  amount: string;
  currency: string;
  full: boolean;
  reason: string;
  createdBy: string;
  /** What the invoice still owes after the credit. */
  outstanding: string;
}

/** "🧾 Credit note CN-… for INV-…: £20.00 (partial)" in the invoice's thread. */
export function buildCreditNoteNotice(view: CreditNoteNewsView): SlackMessage {
  const cn = escapeOutsideTextCut(view.creditNoteNumber, 60);
  const invoice = escapeOutsideTextCut(view.invoiceNumber, 60);
  const amount = formatAmount(view.amount, view.currency);
  const scope = view.full ? 'credits it in full' : 'a partial credit';
  return {
    text: fallbackText(`Credit note ${view.creditNoteNumber} for ${view.invoiceNumber}: ${amount}`),
    blocks: [
      section(
        `🧾 Credit note *${cn}* for *${invoice}*: ${amount} (${scope}) by ${mentionActor(view.createdBy)}`,
      ),
      context(
        `Reason: ${escapeOutsideTextCut(view.reason, REASON_MAX)} · ${formatAmount(view.outstanding, view.currency)} outstanding`,
      ),
    ],
  };
}

/** `/invoice credit`: the credit note issued. Only the approver who typed it sees this. */
export function buildCreditNoteReply(view: CreditNoteNewsView): CommandReply {
  const notice = buildCreditNoteNotice(view);
  return { response_type: 'ephemeral', text: notice.text, blocks: notice.blocks };
}
