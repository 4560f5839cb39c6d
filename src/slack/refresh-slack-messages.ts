import { buildApprovalCard, buildDecidedCard } from '../../blocks/approval-card.ts';
import { buildRunSummary } from '../../blocks/run-summary.ts';
import type { Deps } from '../ports/deps.ts';
import { loadApprovalCardView } from './load-approval-card-view.ts';
import { loadRunSummaryView } from './load-run-summary-view.ts';

type SlackDeps = Pick<Deps, 'db' | 'slack'>;

/** Re-renders a run's summary in place from what the database says now. */
export async function refreshRunSummary(deps: SlackDeps, runId: string): Promise<void> {
  const run = await deps.db
    .selectFrom('billing_runs')
    .select(['slack_channel_id', 'slack_summary_ts'])
    .where('id', '=', runId)
    .executeTakeFirst();
  if (run?.slack_channel_id == null || run.slack_summary_ts === null) return;
  const view = await loadRunSummaryView(deps.db, runId);
  if (view === undefined) return;
  await deps.slack.update({
    channel: run.slack_channel_id,
    ts: run.slack_summary_ts,
    ...buildRunSummary(view),
  });
  await deps.db
    .updateTable('billing_runs')
    .set({ slack_summary_updated_at: new Date() })
    .where('id', '=', runId)
    .execute();
}

/** Re-renders an invoice's card in place: still waiting (maybe 1 of 2 approvals), or decided. */
export async function updateInvoiceCard(deps: SlackDeps, invoiceId: string): Promise<void> {
  const card = await loadApprovalCardView(deps.db, invoiceId);
  if (card?.channelId == null || card.cardTs === null) return;
  const message =
    card.outcome === undefined ? buildApprovalCard(card.view) : buildDecidedCard(card.view, card.outcome);
  await deps.slack.update({ channel: card.channelId, ts: card.cardTs, ...message });
}
