import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError } from '../../blocks/command-replies.ts';
import { buildCreditNoteReply } from '../../blocks/correction-news.ts';
import { issueCreditNote } from '../../src/invoices/issue-credit-note.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice credit <invoice number> <amount|all> <reason…>`: issues a credit note against an invoice. */
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
  });
  await respond(
    result.code === 'issued'
      ? buildCreditNoteReply({
          ...result,
          reason: parsed.reason,
          createdBy: command.user_id,
        })
      : buildCommandError(result.message, USAGE.credit),
  );
}
