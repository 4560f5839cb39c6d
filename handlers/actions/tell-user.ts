import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../blocks/block-elements.ts';
import { buildNoticeModal } from '../../blocks/notice-modal.ts';
import type { Deps } from '../../src/ports/deps.ts';

/**
 * Answers only the person who clicked, where they clicked: through the message's response_url for a
 * message, or as a small modal over the App Home or the modal they used. Never in a channel, which
 * they may not be in (chat.postEphemeral answers user_not_in_channel, and they would see nothing).
 * When the trigger has lapsed (Slack honours a trigger_id for 3 s), the answer goes to their DM with
 * billops instead (chat.postMessage to their user id).
 */
export async function tellUser(
  deps: Pick<Deps, 'slack'>,
  client: WebClient,
  body: BlockAction,
  message: string | SlackMessage,
): Promise<void> {
  const content = typeof message === 'string' ? { text: message } : message;
  if (body.container.type === 'message') {
    await deps.slack.respond(body.response_url, content);
    return;
  }
  const view = buildNoticeModal('billops', message);
  try {
    if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  } catch {
    await deps.slack.post({ channel: body.user.id, ...content });
  }
}
