import type { App } from '@slack/bolt';
import type { Deps } from '../src/ports/deps.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { registerViews } from './views/index.ts';

/** Registers every Bolt listener, by surface. */
export function registerHandlers(app: App, deps: Deps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
}
