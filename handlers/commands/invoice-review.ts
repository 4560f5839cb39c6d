import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError } from '../../blocks/command-replies.ts';
import { requestReview } from '../../src/billing-runs/request-review.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice review <customer id>`: sends a fixed customer's invoice back for approval. */
export async function invoiceReview(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'review' }>,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  const result = await requestReview(deps, {
    customerExternalId: parsed.customer,
    userId: command.user_id,
  });
  await respond(
    result.code === 'resubmitted'
      ? { response_type: 'ephemeral', text: result.message }
      : buildCommandError(result.message, USAGE.review),
  );
}
