import type { Deps } from '../ports/deps.ts';
import { escapeMrkdwn } from '../../blocks/mrkdwn.ts';
import { loadApprovalCardView } from './load-approval-card-view.ts';

/** Puts a rejection's reason into the invoice's thread, where its later news also goes. */
export async function postRejectionNote(deps: Pick<Deps, 'db' | 'slack'>, invoiceId: string): Promise<void> {
  const card = await loadApprovalCardView(deps.db, invoiceId);
  if (card?.channelId == null || card.threadTs === null || card.outcome?.decision !== 'rejected') return;
  const { userId, reason } = card.outcome;
  await deps.slack.post({
    channel: card.channelId,
    thread_ts: card.threadTs,
    text: `❌ <@${userId}> rejected the invoice to ${escapeMrkdwn(card.view.customerName)}: ${escapeMrkdwn(reason)}\nIt is back in draft. After fixing it, send it again with \`/invoice review ${escapeMrkdwn(card.view.customerExternalId)}\`.`,
  });
}
