import type { HomeView, KnownBlock } from '@slack/types';
import { context, divider, header, section } from './block-elements.ts';
import { heldInvoiceBlocks, REASON_TEXT_MAX } from './invoice-buttons.ts';
import { currencyTotalLines } from './run-summary.ts';
import { bulletList, escapeOutsideTextCut, slackDateTime, plural } from './slack-text.ts';
import type { AppHomeView } from './view-models.ts';

/** Pending invoices with buttons on Home (2 blocks each); the rest are reached through a run's Review. */
export const HOME_PENDING_SHOWN = 15;
const HOME_RUNS_SHOWN = 15;
const HOME_FAILURES_SHOWN = 15;

const RUN_STATUS_WORDS: Record<string, string> = {
  drafting: 'drafting invoices',
  awaiting_approval: 'waiting for approval',
  completed: 'completed',
  failed: 'failed',
};

/** The App Home tab: what waits for this person, runs in progress, recent failures, this month's totals. */
export function buildAppHome(view: AppHomeView): HomeView {
  const blocks: KnownBlock[] = [header('billops'), ...pendingBlocks(view), divider()];
  blocks.push(section(`*Runs in progress*\n${runLines(view)}`), divider());
  blocks.push(section(`*Recent failures*\n${failureLines(view)}`), divider());
  const { monthTotals } = view;
  blocks.push(
    section(
      `*Totals for ${escapeOutsideTextCut(monthTotals.monthLabel, 60)}*\n${
        monthTotals.totals.length === 0
          ? 'Nothing invoiced yet this month.'
          : currencyTotalLines(monthTotals.totals)
      }`,
    ),
  );
  return { type: 'home', blocks };
}

function pendingBlocks(view: AppHomeView): KnownBlock[] {
  if (!view.isApprover) {
    return [
      section(
        '*Waiting for your approval*\nYou are not an approver, so no invoice waits for you. Approvers are listed in billing.yml (`approval.approvers`).',
      ),
    ];
  }
  if (view.pendingCount === 0 || view.pending.length === 0) {
    return [section('*Waiting for your approval*\nNothing right now. :tada:')];
  }
  const shown = view.pending.slice(0, HOME_PENDING_SHOWN);
  const blocks: KnownBlock[] = [section(`*Waiting for your approval* (${view.pendingCount})`)];
  for (const row of shown) blocks.push(...heldInvoiceBlocks(row));
  if (view.pendingCount > shown.length) {
    blocks.push(
      context(
        `${plural(view.pendingCount - shown.length, 'more invoice waits', 'more invoices wait')} for you: open *Review* on the run summary.`,
      ),
    );
  }
  return blocks;
}

/** A message link Slack accepts; only built from ids that look like Slack's, so nothing can be injected. */
export function messageLink(channelId: string | null, ts: string | null): string | null {
  if (channelId === null || ts === null) return null;
  if (!/^[CDG][A-Z0-9]+$/.test(channelId) || !/^\d+\.\d+$/.test(ts)) return null;
  return `https://slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
}

function runLines(view: AppHomeView): string {
  if (view.runs.length === 0) return 'No billing run in progress.';
  const lines = view.runs.map((run) => {
    const period = escapeOutsideTextCut(run.periodLabel, 60);
    const link = messageLink(run.channelId, run.ts);
    const label = link === null ? `*${period}*` : `<${link}|${period.replace(/\|/g, '/')}>`;
    const status = RUN_STATUS_WORDS[run.status] ?? escapeOutsideTextCut(run.status.replace(/_/g, ' '), 40);
    const waiting =
      run.needsReview > 0 ? ` · ${plural(run.needsReview, 'invoice needs', 'invoices need')} review` : '';
    return `${label}: ${status}${waiting}`;
  });
  return bulletList(lines, HOME_RUNS_SHOWN);
}

function failureLines(view: AppHomeView): string {
  if (view.failures.length === 0) return 'None. :white_check_mark:';
  const lines = view.failures.map(
    (failure) => `${slackDateTime(failure.at)}: ${escapeOutsideTextCut(failure.text, REASON_TEXT_MAX)}`,
  );
  return bulletList(lines, HOME_FAILURES_SHOWN);
}
