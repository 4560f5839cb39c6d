import type { App } from '@slack/bolt';
import { registerInvoiceCommand } from './commands/invoice-command.ts';

/** Registers every Bolt listener, by surface. */
export function registerHandlers(app: App): void {
  registerInvoiceCommand(app);
}
