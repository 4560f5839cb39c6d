import { context, fallbackText, section, type SlackMessage } from './block-elements.ts';
import type { CommandReply } from './command-replies.ts';
import { escapeOutsideTextCut, formatAmount, mentionActor } from './slack-text.ts';

// A payment, told in its invoice's thread and, for /invoice paid, to the person who recorded it.

export interface PaymentNewsView {
  number: string;
  currency: string;
  /** Fixed-point strings in the invoice currency. */
  amount: string;
  /** Everything received so far, this payment included. */
  amountPaid: string;
  outstanding: string;
  paidOn: string;
  source: 'manual' | 'xero' | 'quickbooks';
  /** Slack user id for payments recorded by hand. */
  recordedBy: string;
  paidInFull: boolean;
}

const SOURCE_NAMES = { xero: 'Xero', quickbooks: 'QuickBooks' } as const;

function origin(view: PaymentNewsView): string {
  return view.source === 'manual'
    ? `recorded by ${mentionActor(view.recordedBy)}`
    : `from ${SOURCE_NAMES[view.source]}`;
}

/** "💷 Payment of £40.00 received …, £60.00 outstanding" or "✅ Paid in full: …". */
export function buildPaymentNotice(view: PaymentNewsView): SlackMessage {
  const number = escapeOutsideTextCut(view.number, 60);
  const amount = formatAmount(view.amount, view.currency);
  if (view.paidInFull) {
    return {
      text: fallbackText(`Paid in full: ${view.number} (${amount} received on ${view.paidOn})`),
      blocks: [
        section(`✅ *Paid in full:* *${number}* · last payment *${amount}* received on ${view.paidOn}`),
        context(
          `${origin(view)} · ${formatAmount(view.amountPaid, view.currency)} received in all · nothing outstanding`,
        ),
      ],
    };
  }
  const outstanding = formatAmount(view.outstanding, view.currency);
  return {
    text: fallbackText(`Payment of ${amount} received for ${view.number}; ${outstanding} outstanding`),
    blocks: [
      section(`💷 Payment of *${amount}* received on ${view.paidOn} for *${number}*`),
      context(
        `${origin(view)} · ${formatAmount(view.amountPaid, view.currency)} received so far · *${outstanding} outstanding*`,
      ),
    ],
  };
}

export interface PaymentMatchView {
  number: string;
  currency: string;
  amount: string;
  /** When the money arrived, as recorded by hand. */
  paidOn: string;
  recordedBy: string;
  matchedSource: 'xero' | 'quickbooks';
}

/** "🔗 Xero has the £40.00 recorded by hand by @U on 2026-11-19 too: counted once." */
export function buildPaymentMatchNotice(view: PaymentMatchView): SlackMessage {
  const number = escapeOutsideTextCut(view.number, 60);
  const amount = formatAmount(view.amount, view.currency);
  const erp = SOURCE_NAMES[view.matchedSource];
  return {
    text: fallbackText(`${erp} has the ${amount} payment for ${view.number} recorded here too: counted once`),
    blocks: [
      context(
        `🔗 ${erp} has the payment of *${amount}* for *${number}* that ${mentionActor(view.recordedBy)} recorded here (received on ${view.paidOn}): matched to it, counted once.`,
      ),
    ],
  };
}

/** `/invoice paid`: what was recorded and where the invoice now stands. Only the sender sees it. */
export function buildPaymentRecordedReply(
  view: Omit<PaymentNewsView, 'source' | 'recordedBy'>,
): CommandReply {
  const number = escapeOutsideTextCut(view.number, 60);
  const amount = formatAmount(view.amount, view.currency);
  const standing = view.paidInFull
    ? `*${number}* is now paid in full.`
    : `${formatAmount(view.outstanding, view.currency)} is still outstanding on *${number}*.`;
  const text = `Recorded a payment of ${amount} against ${number}, received on ${view.paidOn}. ${standing}`;
  return {
    response_type: 'ephemeral',
    text: fallbackText(text),
    blocks: [
      section(`✅ Recorded a payment of *${amount}* against *${number}*, received on ${view.paidOn}.`),
      context(`${standing} It is posted in the invoice's thread and in the audit log.`),
    ],
  };
}
