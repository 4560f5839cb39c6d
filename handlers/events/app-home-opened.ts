import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import { buildAppHome } from '../../blocks/app-home.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { loadAppHome } from '../../src/slack/load-home-and-status.ts';

/** App Home, rendered for whoever opens it. */
export function appHomeOpened(deps: Deps): Middleware<SlackEventMiddlewareArgs<'app_home_opened'>> {
  return async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({
      user_id: event.user,
      view: buildAppHome(await loadAppHome(deps, event.user)),
    });
  };
}
