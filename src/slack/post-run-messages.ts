import { buildApprovalCard } from '../../blocks/approval-card.ts';
import { buildRunSummary } from '../../blocks/run-summary.ts';
import type { Deps } from '../ports/deps.ts';
import { loadApprovalCardView } from './load-approval-card-view.ts';
import { loadRunSummaryView } from './load-run-summary-view.ts';
import { refreshRunSummary } from './refresh-slack-messages.ts';

type SlackDeps = Pick<Deps, 'db' | 'slack' | 'billing' | 'logger'>;

/**
 * Posts a run's summary to the billing channel, then one approval card per held invoice (up to the
 * configured limit; the rest are reached through Review). Each message's ts is saved as soon as it
 * is posted, so a retried job continues where it stopped instead of posting again.
 * NOTE: chat.postMessage is ~1 per second per channel; a capped card count keeps a run of 1,000
 * invoices to a few dozen messages.
 */
export async function postRunMessages(deps: SlackDeps, runId: string): Promise<void> {
  const run = await deps.db.selectFrom('billing_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (run === undefined) return;
  let channel = run.slack_channel_id;
  let summaryTs = run.slack_summary_ts;
  if (summaryTs === null) {
    const view = await loadRunSummaryView(deps.db, runId);
    if (view === undefined) return;
    channel = deps.billing.slack.billingChannel;
    const posted = await deps.slack.post({
      channel,
      ...buildRunSummary(view),
      unfurl_links: false,
    });
    summaryTs = posted.ts;
    channel = posted.channel;
    await deps.db
      .updateTable('billing_runs')
      .set({ slack_channel_id: channel, slack_summary_ts: summaryTs, slack_summary_updated_at: new Date() })
      .where('id', '=', runId)
      .execute();
  }
  if (channel === null) return;

  const held = await deps.db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select(['invoices.id', 'invoices.slack_card_ts'])
    .where('invoices.run_id', '=', runId)
    .where((eb) =>
      eb.or([
        eb('invoices.status', '=', 'pending_approval'),
        eb.and([
          eb('invoices.status', '=', 'draft'),
          eb(eb.fn('jsonb_array_length', ['invoices.exceptions']), '>', 0),
        ]),
      ]),
    )
    .orderBy('invoices.total', 'desc')
    .orderBy('customers.external_id')
    .limit(deps.billing.slack.maxCardsPerRun)
    .execute();
  const missing = held.filter((invoice) => invoice.slack_card_ts === null);
  for (const invoice of missing) await postApprovalCard(deps, invoice.id, { channel, summaryTs });
  // The summary counts held invoices without a card; now that cards exist it says so.
  if (missing.length > 0) await refreshRunSummary(deps, runId);
}

/** Posts one invoice's card (into the approvals channel, or the run's thread) and remembers where. */
export async function postApprovalCard(
  deps: SlackDeps,
  invoiceId: string,
  run: { channel: string; summaryTs: string },
): Promise<void> {
  const card = await loadApprovalCardView(deps.db, invoiceId);
  if (card === undefined) return;
  const approvals = deps.billing.slack.approvalsChannel;
  const message = buildApprovalCard(card.view);
  const posted = await deps.slack.post(
    approvals === undefined
      ? { channel: run.channel, thread_ts: run.summaryTs, ...message }
      : { channel: approvals, ...message },
  );
  const cardTs = posted.ts;
  await deps.db
    .updateTable('invoices')
    .set({
      slack_channel_id: posted.channel,
      slack_card_ts: cardTs,
      // The invoice's news goes under its card in the approvals channel, or into the run's thread.
      slack_thread_ts: approvals === undefined ? run.summaryTs : cardTs,
    })
    .where('id', '=', invoiceId)
    .execute();
}
