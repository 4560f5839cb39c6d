import { plural } from '../../blocks/slack-text.ts';
import { buildCommandError, buildDryRunReply } from '../../blocks/command-replies.ts';
import { toDryRunView } from '../billing-runs/dry-run-view.ts';
import { parseBillingPeriod, previousMonth } from '../calendar/billing-period.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import { startBillingRun } from '../billing-runs/start-billing-run.ts';
import type { Deps } from '../ports/deps.ts';
import type { SlackContent } from '../ports/slack-notifier.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * `/invoice run` after its ack, or a webhook's run instruction: drafts the run (or finds it), and
 * answers the person through the command's response_url (a webhook's outcome goes to the billing
 * channel). A new run's summary and cards follow from post_run_messages.
 */
export function startBillingRunTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const input = parseJobPayload('start_billing_run', payload);
    const fromSlack = !input.userId.startsWith('webhook:');
    const reply = async (body: SlackContent) => {
      if (input.responseUrl === undefined) await deps.slack.post({ channel: input.channelId, ...body });
      else await deps.slack.respond(input.responseUrl, body);
    };
    const period =
      input.period === ''
        ? previousMonth(todayIn(deps.billing.timezone, deps.clock.now()))
        : parseBillingPeriod(input.period);
    if ('error' in period) {
      await reply(buildCommandError(period.error, 'run [period] [--dry] [--force] [customer…]'));
      return;
    }
    const result = await startBillingRun(deps, {
      period,
      scope: { customers: input.customers.length === 0 ? 'all' : input.customers },
      trigger: fromSlack ? 'command' : 'webhook',
      startedBy: fromSlack ? `slack:${input.userId}` : input.userId,
      dryRun: input.dryRun,
    });
    if (!result.ok) {
      await reply(buildCommandError(result.message, 'run [period] [--dry] [--force] [customer…]'));
      return;
    }
    if (result.outcome === 'dry_run') {
      await reply(buildDryRunReply(toDryRunView(result.run, period.label)));
      return;
    }
    if (result.outcome === 'existing') {
      await reply({
        text: `Billing for ${period.label} already ran; its summary is in <#${deps.billing.slack.billingChannel}>.`,
      });
      return;
    }
    const policy = result.run.policy;
    await reply({
      text:
        `Drafted ${plural(result.run.counts.drafted, 'invoice')} for ${period.label}` +
        (policy === undefined
          ? '.'
          : `: ${policy.autoApproved} approved by policy, ${policy.needsReview} waiting for review, ${policy.blocked} blocked.`) +
        ` The summary is in <#${deps.billing.slack.billingChannel}>.`,
    });
  };
}
