import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError } from '../../blocks/command-replies.ts';
import { buildPaymentRecordedReply } from '../../blocks/payment-news.ts';
import { buildRepeatedPaymentReply } from '../../blocks/repeated-command-reply.ts';
import { recordPaymentFromSlack } from '../../src/payments/record-payment-from-slack.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/**
 * `/invoice paid <invoice number> <amount> [date] [--again]`: records a payment received. A redelivery
 * of the same command answers nothing more (its first delivery answers); the same payment typed again
 * within minutes asks "again?".
 */
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
    triggerId: command.trigger_id,
    again: parsed.again,
  });
  switch (result.code) {
    case 'duplicate_request':
      deps.logger.info(
        { triggerId: command.trigger_id },
        'A repeated delivery of /invoice paid changed nothing',
      );
      return;
    case 'recorded':
      await respond(buildPaymentRecordedReply(result));
      return;
    case 'repeated':
      await respond(buildRepeatedPaymentReply({ ...result.earlier, commandText: command.text }));
      return;
    default:
      await respond(buildCommandError(result.message, USAGE.paid));
  }
}
