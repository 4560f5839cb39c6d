import { actions, button, confirmDialog, context, section, type SlackMessage } from './block-elements.ts';
import { MARK_DELIVERY_SENT, RETRY_DELIVERY, RETRY_ERP_SYNC } from './ids.ts';
import { escapeOutsideTextCut, formatAmount, joinNames } from './slack-text.ts';

// What happens to an invoice after approval, as lines in its thread (and, for failures, in alerts).

export interface DeliveryNoticeView {
  deliveryId: string;
  number: string;
  customerName: string;
  recipients: string[];
  /** What went wrong, for a finance person (never a stack trace). */
  error: string;
  state: 'failed' | 'uncertain';
  /** A link to the invoice's thread, for the copy in the alerts channel. */
  threadLink: string | null;
}

export function buildFinalizedNotice(view: { number: string; total: string; currency: string }): string {
  return `📄 Finalized *${escapeOutsideTextCut(view.number, 60)}* · ${formatAmount(view.total, view.currency)}`;
}

/** "✉️ Emailed INV-… to …", or, for a credit note, "✉️ Emailed credit note CN-… (for INV-…) to …". */
export function buildEmailedNotice(view: {
  number: string;
  creditNote?: string | undefined;
  recipients: string[];
  at: Date;
}): SlackMessage {
  const to = joinNames(view.recipients.map((address) => escapeOutsideTextCut(address, 200)));
  const what =
    view.creditNote === undefined
      ? `*${escapeOutsideTextCut(view.number, 60)}*`
      : `credit note *${escapeOutsideTextCut(view.creditNote, 60)}* (for ${escapeOutsideTextCut(view.number, 60)})`;
  const plainWhat =
    view.creditNote === undefined ? view.number : `credit note ${view.creditNote} (for ${view.number})`;
  return {
    text: `Emailed ${plainWhat} to ${view.recipients.join(', ')}`,
    blocks: [section(`✉️ Emailed ${what} to ${to}`)],
  };
}

/** A failed or uncertain email: what happened, and Retry / Mark as sent for a person to decide. */
export function buildDeliveryFailureNotice(view: DeliveryNoticeView): SlackMessage {
  const what =
    view.state === 'uncertain'
      ? `⚠️ *${escapeOutsideTextCut(view.number, 60)}* may or may not have reached ${escapeOutsideTextCut(view.customerName, 200)}: the mail server dropped the connection after receiving the message. It will not be sent again unless you say so.`
      : `❌ *${escapeOutsideTextCut(view.number, 60)}* could not be emailed to ${escapeOutsideTextCut(view.customerName, 200)}.`;
  const blocks = [
    section(what),
    context(
      `To ${escapeOutsideTextCut(view.recipients.join(', '), 500)} · ${escapeOutsideTextCut(view.error, 1000)}`,
    ),
    actions([
      button({
        actionId: RETRY_DELIVERY,
        text: view.state === 'uncertain' ? 'Send again' : 'Retry',
        value: view.deliveryId,
        style: 'primary',
        ...(view.state === 'uncertain'
          ? {
              confirm: confirmDialog({
                title: 'Send again?',
                mrkdwn: 'The customer may already have this email. Send it again anyway?',
                confirm: 'Send again',
              }),
            }
          : {}),
      }),
      button({ actionId: MARK_DELIVERY_SENT, text: 'Mark as sent', value: view.deliveryId }),
    ]),
  ];
  if (view.threadLink !== null) blocks.push(context(`<${view.threadLink}|Open the invoice thread>`));
  return { text: `${view.number}: email ${view.state === 'uncertain' ? 'uncertain' : 'failed'}`, blocks };
}

export interface ErpNoticeView {
  syncId: string;
  number: string;
  provider: string;
  error: string;
  threadLink: string | null;
}

/** "Posted to Xero as INV-…", or, when the ERP's total or tax differs from ours, both side by side: never silent. */
export function buildErpSyncedNotice(view: {
  number: string;
  provider: string;
  currency: string;
  figures: { erpTotal: string; erpTotalTax: string; ourTotal: string; ourTotalTax: string; matches: boolean };
}): string {
  const erp = view.provider === 'xero' ? 'Xero' : 'QuickBooks';
  const { figures } = view;
  const money = (amount: string) => formatAmount(amount, view.currency);
  return figures.matches
    ? `📒 Posted to ${erp} as *${escapeOutsideTextCut(view.number, 60)}*`
    : `⚠️ Posted to ${erp} as *${escapeOutsideTextCut(view.number, 60)}*, but ${erp} holds ${money(figures.erpTotal)} with tax ${money(figures.erpTotalTax)}, and the invoice sent is ${money(figures.ourTotal)} with tax ${money(figures.ourTotalTax)}: check the tax profile's erp_tax_type and the account mapping, then correct it in ${erp}.`;
}

/** An invoice the ERP refused: why, and Retry once the mapping or the ERP is fixed. */
export function buildErpFailureNotice(view: ErpNoticeView): SlackMessage {
  const erp = view.provider === 'xero' ? 'Xero' : 'QuickBooks';
  const blocks = [
    section(`❌ *${escapeOutsideTextCut(view.number, 60)}* could not be posted to ${erp}.`),
    context(escapeOutsideTextCut(view.error, 1000)),
    actions([button({ actionId: RETRY_ERP_SYNC, text: 'Retry', value: view.syncId, style: 'primary' })]),
  ];
  if (view.threadLink !== null) blocks.push(context(`<${view.threadLink}|Open the invoice thread>`));
  return { text: `${view.number}: not posted to ${erp}`, blocks };
}
