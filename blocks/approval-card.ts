import { amountLine } from './amount-line.ts';
import type { KnownBlock } from '@slack/types';
import { Decimal } from '../src/money/decimal.ts';
import { actions, context, fallbackText, section, type SlackMessage } from './block-elements.ts';
import {
  CUSTOMER_NAME_MAX,
  decisionButtons,
  detailsButton,
  REASON_TEXT_MAX,
  reasonLines,
} from './invoice-buttons.ts';
import { inlineCode } from './mrkdwn.ts';
import {
  escapeOutsideText,
  escapeOutsideTextCut,
  formatAmount,
  formatQuantity,
  slackTime,
  joinNames,
  mentionActor,
  plural,
  truncate,
} from './slack-text.ts';
import type { AfterApproval, ApprovalCardView, CardLineView, CardOutcome } from './view-models.ts';

type ErpPosting = NonNullable<AfterApproval['erp']>;

/** Lines shown on a card; the rest are in Details and the CSV export. */
export const CARD_LINE_COUNT = 5;
const MAX_REASONS = 10;
const REJECTION_REASON_MAX = 1000;

/** The card an approver decides on: the facts, why it waits, and Approve / Reject / Details. */
export function buildApprovalCard(view: ApprovalCardView): SlackMessage {
  const blocked = view.exceptions.length > 0;
  const progress = blocked
    ? 'No Approve button until the problems above are fixed; Reject leaves it out of this run.'
    : approvalProgress(view);
  const blocks = [...cardFacts(view), context(progress)];
  const secondNeeded = view.approvalsRequired - view.approvals.length > 1;
  blocks.push(
    actions(
      decisionButtons(
        view,
        blocked,
        secondNeeded ? 'A second approver is still needed after you.' : undefined,
      ),
    ),
  );
  const name = escapeOutsideTextCut(view.customerName, CUSTOMER_NAME_MAX);
  const total = formatAmount(view.total, view.currency);
  return {
    text: fallbackText(
      blocked
        ? `${name}: ${total} is blocked until its exceptions are fixed`
        : `${name}: ${total} needs approval`,
    ),
    blocks,
  };
}

/** The card after the decision, updated in place: the same facts, who decided and when, only Details. */
export function buildDecidedCard(view: ApprovalCardView, outcome: CardOutcome): SlackMessage {
  const status = decisionLine(outcome);
  const after =
    outcome.decision === 'approved' && outcome.after !== undefined
      ? afterApprovalLine(outcome.after, view.currency)
      : '';
  // NOTE: why it waited for a person is answered once decided; what blocked it stays for whoever fixes it.
  const blocks = [
    ...cardFacts({ ...view, reasons: [] }),
    section(status),
    ...(after === '' ? [] : [context(after)]),
    actions([detailsButton(view)]),
  ];
  const name = escapeOutsideTextCut(view.customerName, CUSTOMER_NAME_MAX);
  const total = formatAmount(view.total, view.currency);
  return {
    text: fallbackText(
      `${name}: ${total} ${outcome.decision}${outcome.decision === 'approved' ? afterInWords(outcome.after, view.currency) : ''}`,
    ),
    blocks,
  };
}

const EMAIL_STATES: Record<NonNullable<AfterApproval['email']>, string> = {
  queued: 'email queued',
  sending: 'emailing…',
  sent: '✉️ emailed',
  failed: '❌ email failed: see the thread',
  uncertain: '⚠️ email uncertain: see the thread',
};

const ERP_NAMES: Record<ErpPosting['provider'], string> = { xero: 'Xero', quickbooks: 'QuickBooks' };

/** Where the ERP posting stands; a posting skipped (voided before it went) says nothing. */
function erpState({ provider, state }: ErpPosting): string | undefined {
  const erp = ERP_NAMES[provider];
  switch (state) {
    case 'pending':
    case 'in_flight':
      return `posting to ${erp}…`;
    case 'synced':
      return `📒 in ${erp}`;
    case 'failed':
      return `❌ ${erp} failed: see the thread`;
    case 'uncertain':
      return `⚠️ ${erp} uncertain: see the thread`;
    case 'skipped':
      return undefined;
  }
}

/** "💰 £100.00 paid + £24.00 credited, £389.96 outstanding", which adds up to the card's total. */
function moneyState(after: AfterApproval, currency: string): string | undefined {
  const paid = new Decimal(after.paid);
  const credited = new Decimal(after.credited);
  if (paid.isZero() && credited.isZero()) return after.overdue && !after.voided ? '⏰ overdue' : undefined;
  const money = (amount: string) => formatAmount(amount, currency);
  const received = [
    ...(paid.isZero() ? [] : [`${money(after.paid)} paid`]),
    ...(credited.isZero() ? [] : [`${money(after.credited)} credited`]),
  ].join(' + ');
  if (new Decimal(after.outstanding).isZero()) return `💰 ${received}, nothing outstanding`;
  return `💰 ${received}, ${money(after.outstanding)} outstanding${after.overdue ? ' ⏰ overdue' : ''}`;
}

/** "📄 INV-2026-00042 · ✉️ emailed · 📒 in Xero · 💰 £100.00 paid, …": the card follows the invoice. */
function afterApprovalLine(after: AfterApproval, currency: string): string {
  if (after.number === null) return 'Finalizing…';
  return [
    `📄 *${escapeOutsideTextCut(after.number, 60)}*`,
    after.email === null ? undefined : EMAIL_STATES[after.email],
    after.erp === null ? undefined : erpState(after.erp),
    moneyState(after, currency),
    after.voided ? '🚫 voided' : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

/** What the notification says became of it: ", then voided", ", paid in full", ", £389.96 outstanding". */
function afterInWords(after: AfterApproval | undefined, currency: string): string {
  if (after === undefined || after.number === null) return '';
  if (after.voided) return ', then voided';
  const settled = !new Decimal(after.paid).plus(after.credited).isZero();
  if (!settled) return after.overdue ? ', overdue' : '';
  if (new Decimal(after.outstanding).isZero())
    return new Decimal(after.credited).isZero() ? ', paid in full' : ', settled';
  return `, ${formatAmount(after.outstanding, currency)} outstanding${after.overdue ? ' (overdue)' : ''}`;
}

/** "✅ Approved by <@U1> and <@U2> at 14:05" / "❌ Rejected by <@U1> at 14:05: reason", in the reader's own time. */
export function decisionLine(outcome: CardOutcome): string {
  if (outcome.decision === 'approved') {
    return `✅ Approved by ${joinNames(outcome.userIds.map(mentionActor))} at ${slackTime(outcome.at)}`;
  }
  const reason = escapeOutsideText(truncate(outcome.reason, REJECTION_REASON_MAX));
  return `❌ Rejected by ${mentionActor(outcome.userId)} at ${slackTime(outcome.at)}: ${reason}`;
}

function cardFacts(view: ApprovalCardView): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(
      [
        `*${escapeOutsideTextCut(view.customerName, CUSTOMER_NAME_MAX)}* ${inlineCode(truncate(view.customerExternalId, 100))}`,
        amountLine(view),
        `Due ${escapeOutsideTextCut(view.dueDate, 40)} · ${escapeOutsideTextCut(view.periodLabel, 60)}`,
      ].join('\n'),
    ),
  ];
  if (view.lines.length > 0) blocks.push(section(`*Largest lines*\n${largestLines(view)}`));
  if (view.exceptions.length > 0) {
    blocks.push(section(`:no_entry: *Fix before approval*\n${reasonLines(view.exceptions, MAX_REASONS)}`));
  }
  if (view.reasons.length > 0) {
    blocks.push(section(`*Why it needs review*\n${reasonLines(view.reasons, MAX_REASONS)}`));
  }
  // A first invoice held for being one already says so among the reasons.
  const firstSaid = view.change === null && view.reasons.some((reason) => reason.code === 'first_invoice');
  if (!firstSaid) blocks.push(section(changeLine(view)));
  return blocks;
}

/** The five largest lines by size (a big credit counts), in that order, then "and 7 more lines". */
function largestLines(view: ApprovalCardView): string {
  const sized = view.lines.map((line, index) => ({ line, index, size: new Decimal(line.amount).abs() }));
  sized.sort((a, b) => b.size.comparedTo(a.size) || a.index - b.index);
  const shown = sized.slice(0, CARD_LINE_COUNT).map(({ line }) => lineText(line, view.currency));
  const rest = view.lines.length - shown.length;
  return [
    ...shown.map((text) => `• ${text}`),
    ...(rest > 0 ? [`_and ${plural(rest, 'more line')}_`] : []),
  ].join('\n');
}

function lineText(line: CardLineView, currency: string): string {
  return `${escapeOutsideTextCut(line.description, REASON_TEXT_MAX)} × ${formatQuantity(line.quantity)}: ${formatAmount(line.amount, currency)}`;
}

function changeLine(view: ApprovalCardView): string {
  if (view.change === null) return ':new: First invoice to this customer';
  const percent = view.change.percent.trim();
  const signed = new Decimal(percent).gt(0) && !percent.startsWith('+') ? `+${percent}` : percent;
  return `*Against the last invoice:* ${escapeOutsideText(signed)}% (last time ${formatAmount(view.change.previousTotal, view.currency)})`;
}

/** "1 of 2 approvals: <@U1>", or how many are needed when none is in yet. */
export function approvalProgress(view: Pick<ApprovalCardView, 'approvals' | 'approvalsRequired'>): string {
  const count = view.approvals.length;
  if (count === 0) {
    return view.approvalsRequired === 2 ? 'Needs 2 approvals from different people' : 'Needs 1 approval';
  }
  return `${count} of ${plural(view.approvalsRequired, 'approval')}: ${joinNames(view.approvals.map((approval) => mentionActor(approval.userId)))}`;
}
