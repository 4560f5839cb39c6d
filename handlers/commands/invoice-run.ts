import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import {
  buildCommandError,
  buildPeriodNotEndedReply,
  buildRunStartedReply,
} from '../../blocks/command-replies.ts';
import { requestBillingRun } from '../../src/billing-runs/request-billing-run.ts';
import { parseBillingPeriod, unendedPeriod } from '../../src/calendar/billing-period.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/**
 * `/invoice run`: acks with "started" (or the period's error, or the warning that the period has not
 * ended, which --force overrides), then asks for the billing run.
 */
export async function invoiceRun(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'run' }>,
  { command, ack }: SlackCommandMiddlewareArgs,
): Promise<void> {
  // No period = last month, which has always ended.
  const period = parsed.period === '' ? undefined : parseBillingPeriod(parsed.period);
  if (period !== undefined && 'error' in period) {
    await ack(buildCommandError(period.error, USAGE.run));
    return;
  }
  const unended =
    period === undefined ? undefined : unendedPeriod(period, deps.billing.timezone, deps.clock.now());
  if (unended !== undefined && !parsed.dryRun && !parsed.force) {
    await ack(
      buildPeriodNotEndedReply({
        message: unended.message,
        period: parsed.period,
        customers: parsed.customers,
      }),
    );
    return;
  }
  await ack(
    buildRunStartedReply({
      periodLabel: period?.label ?? 'last month',
      dryRun: parsed.dryRun,
      ...(unended !== undefined && parsed.dryRun ? { note: unended.message } : {}),
    }),
  );
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
