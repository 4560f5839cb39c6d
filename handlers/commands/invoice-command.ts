import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildCommandError } from '../../blocks/command-replies.ts';
import { buildDidYouMean, buildHelpMessage } from '../../blocks/help-message.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { invoiceConnect } from './invoice-connect.ts';
import { invoiceCredit } from './invoice-credit.ts';
import { invoicePaid } from './invoice-paid.ts';
import { invoiceReview } from './invoice-review.ts';
import { invoiceRun } from './invoice-run.ts';
import { invoiceShow } from './invoice-show.ts';
import { invoiceStatus } from './invoice-status.ts';
import { invoiceVoid } from './invoice-void.ts';
import { parseInvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice …`: acks at once (replies only the person who typed it), then does the work. */
export function invoiceCommand(deps: Deps): Middleware<SlackCommandMiddlewareArgs> {
  return async (args) => {
    const parsed = parseInvoiceCommand(args.command.text);
    switch (parsed.kind) {
      case 'help':
        await args.ack({ response_type: 'ephemeral', ...buildHelpMessage() });
        return;
      case 'unknown':
        await args.ack({
          response_type: 'ephemeral',
          ...(parsed.suggestion === undefined
            ? buildHelpMessage(parsed.input)
            : buildDidYouMean(parsed.input, parsed.suggestion)),
        });
        return;
      case 'invalid':
        await args.ack(buildCommandError(parsed.message, parsed.usage));
        return;
      case 'run':
        await invoiceRun(deps, parsed, args);
        return;
      case 'status':
        await invoiceStatus(deps, parsed, args);
        return;
      case 'show':
        await invoiceShow(deps, parsed, args);
        return;
      case 'review':
        await invoiceReview(deps, parsed, args);
        return;
      case 'connect':
        await invoiceConnect(deps, parsed, args);
        return;
      case 'paid':
        await invoicePaid(deps, parsed, args);
        return;
      case 'void':
        await invoiceVoid(deps, parsed, args);
        return;
      case 'credit':
        await invoiceCredit(deps, parsed, args);
        return;
    }
  };
}
