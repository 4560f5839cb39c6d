import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { APPROVE_ALL_WITHIN_POLICY, EXPORT_RUN_CSV, REVIEW_PAGE, REVIEW_RUN } from '../../blocks/ids.ts';
import { buildReviewModal, REVIEW_PAGE_SIZE } from '../../blocks/review-modal.ts';
import { approveAllWithinPolicy } from '../../src/approval/approve-all-within-policy.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadReviewPage } from '../../src/slack/load-invoice-views.ts';
import { buildRunCsv } from '../../src/slack/run-csv.ts';
import { parseReviewPage, parseRunId } from './action-values.ts';
import { tellUser } from './tell-user.ts';

/** The run summary's buttons: Review (paged modal), Approve all within policy, Export CSV. */
export function registerRunActions(app: App, deps: Deps): void {
  const alerts = deps.billing.slack.alertsChannel;

  app.action<BlockAction<ButtonAction>>(REVIEW_RUN, async ({ ack, body, action, client }) => {
    await ack();
    const runId = parseRunId(action.value);
    const page = runId === undefined ? undefined : await loadReviewPage(deps.db, runId, 0, REVIEW_PAGE_SIZE);
    if (page === undefined) return;
    await client.views.open({ trigger_id: body.trigger_id, view: buildReviewModal(page) });
  });

  app.action<BlockAction<ButtonAction>>(REVIEW_PAGE, async ({ ack, body, action, client }) => {
    await ack();
    const value = parseReviewPage(action.value);
    if (value === undefined || body.view === undefined) return;
    const page = await loadReviewPage(deps.db, value.runId, value.page, REVIEW_PAGE_SIZE);
    if (page === undefined) return;
    await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: buildReviewModal(page) });
  });

  app.action<BlockAction<ButtonAction>>(APPROVE_ALL_WITHIN_POLICY, async ({ ack, body, action, client }) => {
    await ack();
    const runId = parseRunId(action.value);
    if (runId === undefined) return;
    const result = await approveAllWithinPolicy(deps, { runId, userId: body.user.id });
    const message = {
      not_found: 'That billing run no longer exists.',
      not_an_approver: 'Only billing approvers can approve invoices.',
      self_approval: 'You started this billing run, so someone else has to approve its invoices.',
      approved:
        result.code === 'approved'
          ? `Approved ${result.approved} invoice${result.approved === 1 ? '' : 's'}.` +
            (result.left.twoApprovers > 0
              ? ` ${result.left.twoApprovers} need two approvers and wait on their cards.`
              : '') +
            (result.left.blocked > 0 ? ` ${result.left.blocked} are blocked until their data is fixed.` : '')
          : '',
    }[result.code];
    await tellUser(client, body, message, alerts);
  });

  app.action<BlockAction<ButtonAction>>(EXPORT_RUN_CSV, async ({ ack, body, action, client }) => {
    await ack();
    const runId = parseRunId(action.value);
    if (runId === undefined) return;
    const csv = await buildRunCsv(deps.db, runId);
    const channel = body.channel?.id ?? deps.billing.slack.billingChannel;
    const file = {
      filename: `billing-run-${runId}.csv`,
      content: csv,
      initial_comment: `Invoices of this run, exported by <@${body.user.id}>.`,
    };
    const threadTs = body.container.type === 'message' ? body.message?.ts : undefined;
    await client.files.uploadV2(
      threadTs === undefined
        ? { channel_id: channel, ...file }
        : { channel_id: channel, thread_ts: threadTs, ...file },
    );
  });
}
