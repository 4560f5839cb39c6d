import type { Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';

/** The consent link button in a Connect / Reconnect reply: only acked, the browser follows the link. */
export function openErpConsentClicked(): Middleware<SlackActionMiddlewareArgs> {
  // NOTE: a link button still sends its click; acking it keeps Slack from showing a warning.
  return async ({ ack }) => {
    await ack();
  };
}
