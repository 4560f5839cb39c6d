import type { App } from '@slack/bolt';
import { SLASH_COMMAND } from '../../blocks/ids.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { invoiceCommand } from './invoice-command.ts';

/** Binds the slash command to its listener; each `/invoice` subcommand lives in its own file. */
export function registerCommands(app: App, deps: Deps): void {
  app.command(SLASH_COMMAND, invoiceCommand(deps));
}
