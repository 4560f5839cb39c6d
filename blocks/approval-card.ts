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
  formatUtcTime,
  joinNames,
  mentionActor,
  plural,
  truncate,
} from './slack-text.ts';
import type { AfterApproval, ApprovalCardView, CardLineView, CardOutcome } from './view-models.ts';

/** Lines shown on a card; the rest are in Details and the CSV export. */
export const CARD_LINE_COUNT = 5;
const MAX_REASONS = 10;
const REJECTION_REASON_MAX = 1000;

/** The card an approver decides on: the facts, why it waits, and Approve / Reject / Details. */
export function buildApprovalCard(view: ApprovalCardView): SlackMessage {
  const blocked = view.exceptions.length > 0;
  const blocks = [...cardFacts(view), context(approvalProgress(view))];
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
    outcome.decision === 'approved' && outcome.after !== undefined ? afterApprovalLine(outcome.after) : '';
  const blocks = [
    ...cardFacts(view),
    section(status),
    ...(after === '' ? [] : [context(after)]),
    actions([detailsButton(view)]),
  ];
  const name = escapeOutsideTextCut(view.customerName, CUSTOMER_NAME_MAX);
  const total = formatAmount(view.total, view.currency);
  return {
    text: fallbackText(
      `${name}: ${total} ${outcome.decision}${outcome.decision === 'approved' && outcome.after?.voided === true ? ', then voided' : ''}`,
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

/** "📄 INV-2026-00042 · ✉️ emailed": the card follows the invoice after approval. */
export function afterApprovalLine(after: AfterApproval): string {
  if (after.number === null) return 'Finalizing…';
  const number = `📄 *${escapeOutsideTextCut(after.number, 60)}*`;
  const line = after.email === null ? number : `${number} · ${EMAIL_STATES[after.email]}`;
  return after.voided ? `${line} · 🚫 voided` : line;
}

/** "✅ Approved by <@U1> and <@U2> at 14:05 UTC" / "❌ Rejected by <@U1> at 14:05 UTC: reason". */
export function decisionLine(outcome: CardOutcome): string {
  if (outcome.decision === 'approved') {
    return `✅ Approved by ${joinNames(outcome.userIds.map(mentionActor))} at ${formatUtcTime(outcome.at)}`;
  }
  const reason = escapeOutsideText(truncate(outcome.reason, REJECTION_REASON_MAX));
  return `❌ Rejected by ${mentionActor(outcome.userId)} at ${formatUtcTime(outcome.at)}: ${reason}`;
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
