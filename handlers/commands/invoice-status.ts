import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError, buildRunStatusReply } from '../../blocks/command-replies.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadRunStatus } from '../../src/slack/load-home-and-status.ts';
import { USAGE, type InvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice status [run id]`: the latest (or the named) billing run's progress. */
export async function invoiceStatus(
  deps: Deps,
  parsed: Extract<InvoiceCommand, { kind: 'status' }>,
  { ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  const status = await loadRunStatus(deps, parsed.runId);
  await respond(
    status === undefined
      ? buildCommandError(
          parsed.runId === undefined
            ? 'There is no billing run yet.'
            : `No billing run has the id ${parsed.runId}.`,
          USAGE.status,
        )
      : buildRunStatusReply(status),
  );
}
