import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../blocks/block-elements.ts';

/**
 * Answers only the person who clicked: through the message's response_url when the click came from a
 * message, or as an ephemeral in the fallback channel when it came from a modal or App Home.
 */
export async function tellUser(
  client: WebClient,
  body: BlockAction,
  message: string | SlackMessage,
  fallbackChannel: string,
): Promise<void> {
  const content = typeof message === 'string' ? { text: message } : message;
  if (body.container.type === 'message') {
    await fetch(body.response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...content }),
    });
    return;
  }
  await client.chat.postEphemeral({
    channel: body.channel?.id ?? fallbackChannel,
    user: body.user.id,
    ...content,
  });
}
