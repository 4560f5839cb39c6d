import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { erpConsentReply } from '../../src/erp/connect/erp-consent-reply.ts';
import type { Deps } from '../../src/ports/deps.ts';
import type { InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice connect xero|quickbooks`: the person who typed it gets their own consent link. */
export async function invoiceConnect(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'connect' }>,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  await respond({
    response_type: 'ephemeral',
    ...(await erpConsentReply(deps, command.user_id, parsed.provider)),
  });
}
