import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError } from '../../blocks/command-replies.ts';
import { buildPaymentRecordedReply } from '../../blocks/payment-news.ts';
import { recordPaymentFromSlack } from '../../src/payments/record-payment-from-slack.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice paid <invoice number> <amount> [date]`: records a payment received. */
export async function invoicePaid(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'paid' }>,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  const result = await recordPaymentFromSlack(deps, {
    userId: command.user_id,
    number: parsed.number,
    amount: parsed.amount,
    paidOn: parsed.paidOn,
  });
  await respond(
    result.code === 'recorded'
      ? buildPaymentRecordedReply(result)
      : buildCommandError(result.message, USAGE.paid),
  );
}
