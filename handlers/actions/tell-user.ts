import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../blocks/block-elements.ts';
import type { Deps } from '../../src/ports/deps.ts';

/**
 * Answers only the person who clicked: through the message's response_url when the click came from a
 * message, or as an ephemeral in the billing channel when it came from a modal or App Home.
 */
export async function tellUser(
  deps: Pick<Deps, 'slack' | 'billing'>,
  client: WebClient,
  body: BlockAction,
  message: string | SlackMessage,
): Promise<void> {
  const content = typeof message === 'string' ? { text: message } : message;
  if (body.container.type === 'message') {
    await deps.slack.respond(body.response_url, content);
    return;
  }
  await client.chat.postEphemeral({
    channel: body.channel?.id ?? deps.billing.slack.billingChannel,
    user: body.user.id,
    ...content,
  });
}
