import type { App } from '@slack/bolt';
import type { Deps } from '../../src/ports/deps.ts';
import { appHomeOpened } from './app-home-opened.ts';

/** Binds every Events API event the app subscribes to to its listener. */
export function registerEvents(app: App, deps: Deps): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
