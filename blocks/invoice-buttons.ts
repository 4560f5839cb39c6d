import type { Button, KnownBlock } from '@slack/types';
import { actions, button, confirmDialog, section } from './block-elements.ts';
import { APPROVE_INVOICE, INVOICE_DETAILS, REJECT_INVOICE, type InvoiceButtonValue } from './ids.ts';
import { bulletList, escapeOutsideTextCut, formatAmount } from './slack-text.ts';
import type { HeldInvoiceRow, ReasonView } from './view-models.ts';

// Approve / Reject / Details look and behave the same on a card, in the review modal and on App Home,
// so a handler never has to tell them apart.

/** Customer names are cut to this before escaping, so a name cannot crowd a text off its limit. */
export const CUSTOMER_NAME_MAX = 200;
/** Reasons, exception messages and line descriptions are cut to this. */
export const REASON_TEXT_MAX = 400;

export interface InvoiceSubject {
  invoiceId: string;
  version: number;
  customerName: string;
  total: string;
  currency: string;
}

/** The value every invoice button carries: the invoice and the version the person saw. */
export function invoiceButtonValue(invoiceId: string, version: number): string {
  const value: InvoiceButtonValue = { invoiceId, version };
  return JSON.stringify(value);
}

/** "*Acme Ltd* for *£12,400.00*", escaped. */
export function describeInvoice(
  subject: Pick<InvoiceSubject, 'customerName' | 'total' | 'currency'>,
): string {
  return `*${escapeOutsideTextCut(subject.customerName, CUSTOMER_NAME_MAX)}* for *${formatAmount(subject.total, subject.currency)}*`;
}

/** Approve, with a confirm dialog naming the customer and the total. */
export function approveButton(subject: InvoiceSubject, note?: string): Button {
  return button({
    actionId: APPROVE_INVOICE,
    text: 'Approve',
    value: invoiceButtonValue(subject.invoiceId, subject.version),
    style: 'primary',
    confirm: confirmDialog({
      title: 'Approve this invoice?',
      mrkdwn: `Approve the invoice to ${describeInvoice(subject)}?${note === undefined ? '' : ` ${note}`}`,
      confirm: 'Approve',
      style: 'primary',
    }),
  });
}

/** Reject opens a modal asking for the reason, so it needs no confirm dialog of its own. */
export function rejectButton(subject: InvoiceSubject): Button {
  return button({
    actionId: REJECT_INVOICE,
    text: 'Reject',
    value: invoiceButtonValue(subject.invoiceId, subject.version),
    style: 'danger',
  });
}

export function detailsButton(subject: Pick<InvoiceSubject, 'invoiceId' | 'version'>): Button {
  return button({
    actionId: INVOICE_DETAILS,
    text: 'Details',
    value: invoiceButtonValue(subject.invoiceId, subject.version),
  });
}

/** Approve (left out while approval is blocked), Reject, Details. */
export function decisionButtons(subject: InvoiceSubject, blocked: boolean, approveNote?: string): Button[] {
  return [
    ...(blocked ? [] : [approveButton(subject, approveNote)]),
    rejectButton(subject),
    detailsButton(subject),
  ];
}

export function reasonLines(reasons: readonly ReasonView[], max: number): string {
  return bulletList(
    reasons.map((reason) => escapeOutsideTextCut(reason.text, REASON_TEXT_MAX)),
    max,
  );
}

/** One held invoice in a list (review modal, App Home): what it is, why it waits, and its buttons. */
export function heldInvoiceBlocks(row: HeldInvoiceRow): KnownBlock[] {
  const lines = [
    `*${escapeOutsideTextCut(row.customerName, CUSTOMER_NAME_MAX)}* · ${formatAmount(row.total, row.currency)}`,
  ];
  if (row.blocked) lines.push(':no_entry: *Blocked:* fix the exceptions before it can be approved');
  if (row.reasons.length > 0) lines.push(reasonLines(row.reasons, 5));
  return [section(lines.join('\n')), actions(decisionButtons(row, row.blocked))];
}
