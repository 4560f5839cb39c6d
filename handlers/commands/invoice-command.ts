import type { App } from '@slack/bolt';
import { buildHelpMessage } from '../../blocks/help-message.ts';
import { SLASH_COMMAND } from '../../blocks/ids.ts';
import { parseInvoiceCommand } from './parse-invoice-command.ts';

/** `/invoice …`: answers in the ack itself, which Slack shows only to the person who typed it. */
export function registerInvoiceCommand(app: App): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    const parsed = parseInvoiceCommand(command.text);
    switch (parsed.kind) {
      case 'help':
        await ack({ response_type: 'ephemeral', ...buildHelpMessage() });
        return;
      case 'unknown':
        await ack({ response_type: 'ephemeral', ...buildHelpMessage(parsed.input) });
        return;
    }
  });
}
