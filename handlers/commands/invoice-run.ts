import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError, buildRunStartedReply } from '../../blocks/command-replies.ts';
import { requestBillingRun } from '../../src/billing-runs/request-billing-run.ts';
import { parseBillingPeriod } from '../../src/calendar/billing-period.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice run`: acks with "started" (or the period's error), then asks for the billing run. */
export async function invoiceRun(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'run' }>,
  { command, ack }: SlackCommandMiddlewareArgs,
): Promise<void> {
  const period = parsed.period === '' ? undefined : parseBillingPeriod(parsed.period);
  if (period !== undefined && 'error' in period) {
    await ack(buildCommandError(period.error, USAGE.run));
    return;
  }
  await ack(buildRunStartedReply({ periodLabel: period?.label ?? 'last month', dryRun: parsed.dryRun }));
  await requestBillingRun(deps, {
    triggerId: command.trigger_id,
    period: parsed.period,
    dryRun: parsed.dryRun,
    customers: parsed.customers,
    userId: command.user_id,
    channelId: command.channel_id,
    responseUrl: command.response_url,
  });
}
