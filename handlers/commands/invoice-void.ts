import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError } from '../../blocks/command-replies.ts';
import { buildVoidedReply } from '../../blocks/correction-news.ts';
import { voidInvoice } from '../../src/invoices/void-invoice.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice void <invoice number> <reason…>`: voids an invoice, with the reason on the record. */
export async function invoiceVoid(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'void' }>,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  const result = await voidInvoice(deps, {
    number: parsed.number,
    reason: parsed.reason,
    userId: command.user_id,
  });
  await respond(
    result.code === 'voided' ? buildVoidedReply(result) : buildCommandError(result.message, USAGE.void),
  );
}
