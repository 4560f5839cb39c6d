import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../src/ports/deps.ts';
import { buildRunCsv } from '../../src/slack/run-csv.ts';
import { boundButton } from './bound-button.ts';
import { runButtonRules } from './run-button-rules.ts';

/** Export CSV on the run summary: uploads the run's invoices in the summary's thread. */
export function exportRunCsvClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return boundButton(deps, runButtonRules(deps), async ({ value: runId, body, client }) => {
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
