import type { App } from '@slack/bolt';
import { buildAppHome } from '../../blocks/app-home.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadAppHome } from '../../src/slack/load-home-and-status.ts';

/** App Home, rendered for whoever opens it. */
export function registerAppHome(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({
      user_id: event.user,
      view: buildAppHome(await loadAppHome(deps, event.user)),
    });
  });
}
