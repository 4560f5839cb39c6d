import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError } from '../../blocks/command-replies.ts';
import { buildCreditNoteReply } from '../../blocks/correction-news.ts';
import { buildRepeatedCreditReply } from '../../blocks/repeated-command-reply.ts';
import { issueCreditNote } from '../../src/invoices/issue-credit-note.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/**
 * `/invoice credit <invoice number> <amount|all> <reason…> [--again]`: issues a credit note against an
 * invoice. A redelivery of the same command answers nothing more (its first delivery answers); the
 * same credit typed again within minutes asks "again?".
 */
export async function invoiceCredit(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'credit' }>,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  const result = await issueCreditNote(deps, {
    number: parsed.number,
    amount: parsed.amount,
    reason: parsed.reason,
    userId: command.user_id,
    slack: { request: { kind: 'command', id: command.trigger_id }, again: parsed.again },
  });
  switch (result.code) {
    case 'duplicate_request':
      deps.logger.info(
        { triggerId: command.trigger_id },
        'A repeated delivery of /invoice credit changed nothing',
      );
      return;
    case 'issued':
      await respond(buildCreditNoteReply({ ...result, reason: parsed.reason, createdBy: command.user_id }));
      return;
    case 'repeated':
      await respond(buildRepeatedCreditReply({ ...result.earlier, commandText: command.text }));
      return;
    default:
      await respond(buildCommandError(result.message, USAGE.credit));
  }
}
