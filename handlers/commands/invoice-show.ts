import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError, buildInvoiceShowReply } from '../../blocks/command-replies.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadInvoiceShow } from '../../src/slack/load-invoice-views.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice show <invoice number | customer id>`: one invoice, or a customer's latest. */
export async function invoiceShow(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'show' }>,
  { ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  const invoice = await loadInvoiceShow(deps.db, parsed.reference);
  await respond(
    invoice === undefined
      ? buildCommandError(
          `No invoice has the number, and no customer the id, "${parsed.reference}".`,
          USAGE.show,
        )
      : buildInvoiceShowReply(invoice),
  );
}
