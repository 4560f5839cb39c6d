import type { Button, KnownBlock } from '@slack/types';
import {
  actions,
  button,
  confirmDialog,
  context,
  fallbackText,
  header,
  section,
  sectionFields,
  type SlackMessage,
} from './block-elements.ts';
import { APPROVE_ALL_WITHIN_POLICY, EXPORT_RUN_CSV, REVIEW_RUN } from './ids.ts';
import { escapeOutsideTextCut, formatAmount, slackTime, mentionActor, plural } from './slack-text.ts';
import type { CurrencyTotalView, RunSummaryView } from './view-models.ts';

const STATUS_LABELS: Record<RunSummaryView['status'], string> = {
  drafting: ':hourglass_flowing_sand: Drafting invoices…',
  awaiting_approval: ':eyes: Waiting for approval',
  completed: ':white_check_mark: Completed',
  failed: ':x: Failed',
};

/** Currencies listed on one summary before "and N more" (the CSV export has every one). */
const MAX_CURRENCIES = 20;

/** "• *GBP* £12,400.00 · 14 invoices" per currency; amounts in different currencies are never added. */
export function currencyTotalLines(totals: readonly CurrencyTotalView[]): string {
  const lines = totals
    .slice(0, MAX_CURRENCIES)
    .map(
      (total) =>
        `• *${escapeOutsideTextCut(total.currency, 10)}* ${formatAmount(total.total, total.currency)} · ${plural(total.invoices, 'invoice')}`,
    );
  if (totals.length > MAX_CURRENCIES) lines.push(`_and ${totals.length - MAX_CURRENCIES} more currencies_`);
  return lines.join('\n');
}

export function runStatusLabel(status: RunSummaryView['status']): string {
  return STATUS_LABELS[status];
}

/** The run's one message in the billing channel: counts, totals per currency and the run's buttons. */
export function buildRunSummary(view: RunSummaryView): SlackMessage {
  const { counts } = view;
  const title = `Billing run · ${view.periodLabel}`;
  const blocks: KnownBlock[] = [
    header(title),
    section(
      [
        `Started by ${mentionActor(view.startedBy)} · ${escapeOutsideTextCut(view.scope, 500)}`,
        `*Status:* ${runStatusLabel(view.status)}${
          view.status === 'drafting' ? ` (${counts.drafted.toLocaleString('en-GB')} drafted so far)` : ''
        }`,
      ].join('\n'),
    ),
    section(
      view.totals.length === 0
        ? '*Totals*\nNo invoices drafted yet.'
        : `*Totals*\n${currencyTotalLines(view.totals)}`,
    ),
    sectionFields([
      `*Auto-approved*\n${counts.autoApproved}`,
      `*Needs review*\n${counts.needsReview}`,
      `*Exceptions*\n${counts.exceptions}`,
      `*Approved*\n${counts.approved}`,
      `*Rejected*\n${counts.rejected}`,
      `*Nothing to bill*\n${counts.nothingToBill}`,
      `*Already invoiced*\n${counts.alreadyInvoiced}`,
    ]),
  ];
  if (view.withoutCards > 0) {
    blocks.push(
      section(
        `${plural(view.withoutCards, 'held invoice has', 'held invoices have')} no card of their own; open them with *Review*.`,
      ),
    );
  }
  blocks.push(context(`Updated ${slackTime(view.updatedAt)}`), actions(runButtons(view)));
  return {
    text: fallbackText(`Billing run · ${escapeOutsideTextCut(view.periodLabel, 100)}: ${plainStatus(view)}`),
    blocks,
  };
}

function plainStatus(view: RunSummaryView): string {
  const status = runStatusLabel(view.status).replace(/^:[a-z_]+: /, '');
  return view.counts.needsReview > 0
    ? `${status}, ${plural(view.counts.needsReview, 'invoice needs', 'invoices need')} review`
    : status;
}

/** Review and Approve all only while something waits for a decision; Export CSV always. */
function runButtons(view: RunSummaryView): Button[] {
  const exportCsv = button({ actionId: EXPORT_RUN_CSV, text: 'Export CSV', value: view.runId });
  if (view.status !== 'awaiting_approval' || view.counts.needsReview === 0) return [exportCsv];
  const waiting = view.counts.needsReview;
  const held = view.counts.exceptions > 0 ? ' Invoices with exceptions stay held until they are fixed.' : '';
  return [
    button({ actionId: REVIEW_RUN, text: 'Review', value: view.runId }),
    button({
      actionId: APPROVE_ALL_WITHIN_POLICY,
      text: 'Approve all within policy',
      value: view.runId,
      style: 'primary',
      confirm: confirmDialog({
        title: `Approve ${plural(waiting, 'invoice')}?`,
        mrkdwn: `This records your approval on the ${plural(waiting, 'invoice')} waiting for review in ${escapeOutsideTextCut(view.periodLabel, 60)}; any that need two approvers still need a second.${held}`,
        confirm: `Approve ${plural(waiting, 'invoice')}`,
        style: 'primary',
      }),
    }),
    exportCsv,
  ];
}
