import { z } from 'zod';

import { checkMessageBlocks } from './block-validation.ts';
import {
  flag,
  jsonArgument,
  metadataArgument,
  parseArguments,
  refuse,
  succeed,
  type MethodHandler,
  type MethodOutcome,
} from './method-outcome.ts';
import { wireMessage } from './wire-shapes.ts';
import type { Conversation, StoredMessage, WorkspaceState } from './workspace-state.ts';

// NOTE: Slack refuses message text over 40,000 characters with msg_too_long.
const maxTextLength = 40_000;

const messageContent = {
  text: z.string().optional(),
  blocks: z.unknown().optional(),
  attachments: jsonArgument(z.array(z.unknown())).optional(),
  metadata: metadataArgument.optional(),
};

const postMessageArguments = z.object({
  channel: z.string().optional(),
  thread_ts: z.string().optional(),
  reply_broadcast: flag.optional(),
  ...messageContent,
});

const updateArguments = z.object({
  channel: z.string().optional(),
  ts: z.string().optional(),
  ...messageContent,
});

const postEphemeralArguments = z.object({
  channel: z.string().optional(),
  user: z.string().optional(),
  thread_ts: z.string().optional(),
  ...messageContent,
});

const deleteArguments = z.object({ channel: z.string().optional(), ts: z.string().optional() });

/** A channel id or name, or a user id, which Slack reads as the bot's DM with that person. */
export function conversationForPosting(
  state: WorkspaceState,
  ref: string | undefined,
): Conversation | undefined {
  if (ref === undefined || ref === '') return undefined;
  const person = state.user(ref);
  if (person !== undefined && !person.isBot) return state.openDirectMessage([person.id]).conversation;
  return state.conversation(ref);
}

/**
 * A bot posts only where it was invited: docs.slack.dev/reference/methods/chat.postMessage errors,
 * `not_in_channel` ("cannot post user messages to a channel they are not in"; apps without
 * chat:write.public, as billops is); a private channel it is not in is `channel_not_found` to it.
 */
export function botCannotPost(state: WorkspaceState, conversation: Conversation): MethodOutcome | undefined {
  if (state.isMember(conversation, state.bot.userId)) return undefined;
  return refuse(conversation.isPrivate ? 'channel_not_found' : 'not_in_channel');
}

export type ContentCheck =
  | { ok: true; content: Pick<StoredMessage, 'text' | 'blocks' | 'attachments'> }
  | { ok: false; outcome: MethodOutcome };

/** The checks chat.postMessage, chat.postEphemeral and response_url posts share. */
export function checkMessageContent(input: {
  text?: string;
  blocks?: unknown;
  attachments?: unknown[];
}): ContentCheck {
  const blocks = checkMessageBlocks(input.blocks);
  if (!blocks.ok) return { ok: false, outcome: refuse(blocks.error, blocks.messages) };
  const text = input.text ?? '';
  const attachments = input.attachments ?? [];
  if (text === '' && blocks.blocks.length === 0 && attachments.length === 0) {
    return { ok: false, outcome: refuse('no_text') };
  }
  if (text.length > maxTextLength) return { ok: false, outcome: refuse('msg_too_long') };
  return { ok: true, content: { text, blocks: blocks.blocks, attachments } };
}

function missingTextWarning(text: string): Record<string, unknown> {
  return text === ''
    ? { warning: 'missing_text_in_message', response_metadata: { warnings: ['missing_text_in_message'] } }
    : {};
}

/** A reply to a reply joins the parent's thread, as in Slack. */
function threadRoot(
  state: WorkspaceState,
  channel: string,
  threadTs: string | undefined,
): string | undefined {
  if (threadTs === undefined || threadTs === '') return undefined;
  return state.message(channel, threadTs)?.threadTs ?? threadTs;
}

type OwnMessageLookup =
  { ok: true; conversation: Conversation; existing: StoredMessage } | { ok: false; outcome: MethodOutcome };

/** The app's own message that chat.update and chat.delete act on; Slack refuses anyone else's with `notOwn`. */
function ownMessage(
  state: WorkspaceState,
  ref: { channel?: string | undefined; ts?: string | undefined },
  notOwn: 'cant_update_message' | 'cant_delete_message',
): OwnMessageLookup {
  const conversation = conversationForPosting(state, ref.channel);
  if (conversation === undefined) return { ok: false, outcome: refuse('channel_not_found') };
  const refused = botCannotPost(state, conversation);
  if (refused !== undefined) return { ok: false, outcome: refused };
  const existing = ref.ts === undefined ? undefined : state.message(conversation.id, ref.ts);
  if (existing === undefined) return { ok: false, outcome: refuse('message_not_found') };
  if (existing.botId !== state.bot.botId) return { ok: false, outcome: refuse(notOwn) };
  return { ok: true, conversation, existing };
}

const postMessage: MethodHandler = (raw, state) => {
  const parsed = parseArguments(postMessageArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  const conversation = conversationForPosting(state, args.channel);
  if (conversation === undefined) return refuse('channel_not_found');
  const refused = botCannotPost(state, conversation);
  if (refused !== undefined) return refused;
  const checked = checkMessageContent(args);
  if (!checked.ok) return checked.outcome;
  const threadTs = threadRoot(state, conversation.id, args.thread_ts);
  const message = state.postMessage({
    channel: conversation.id,
    user: state.bot.userId,
    botId: state.bot.botId,
    ...checked.content,
    ...(threadTs === undefined ? {} : { threadTs, replyBroadcast: args.reply_broadcast ?? false }),
    ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
    via: 'web_api',
  });
  return succeed({
    channel: conversation.id,
    ts: message.ts,
    message: wireMessage(state, message),
    ...missingTextWarning(message.text),
  });
};

const update: MethodHandler = (raw, state) => {
  const parsed = parseArguments(updateArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  const found = ownMessage(state, args, 'cant_update_message');
  if (!found.ok) return found.outcome;
  const { conversation, existing } = found;
  const blocks = args.blocks === undefined ? undefined : checkMessageBlocks(args.blocks);
  if (blocks !== undefined && !blocks.ok) return refuse(blocks.error, blocks.messages);
  if (args.text !== undefined && args.text.length > maxTextLength) return refuse('msg_too_long');
  const updated = state.updateMessage(
    conversation.id,
    existing.ts,
    {
      ...(args.text === undefined ? {} : { text: args.text }),
      ...(blocks === undefined ? {} : { blocks: blocks.blocks }),
      ...(args.attachments === undefined ? {} : { attachments: args.attachments }),
      ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
    },
    state.bot.userId,
  );
  if (updated === undefined) return refuse('message_not_found');
  return succeed({
    channel: conversation.id,
    ts: updated.ts,
    text: updated.text,
    message: wireMessage(state, updated),
  });
};

const postEphemeral: MethodHandler = (raw, state) => {
  const parsed = parseArguments(postEphemeralArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  const conversation = conversationForPosting(state, args.channel);
  if (conversation === undefined) return refuse('channel_not_found');
  const refused = botCannotPost(state, conversation);
  if (refused !== undefined) return refused;
  const person = args.user === undefined ? undefined : state.user(args.user);
  if (person === undefined) return refuse('user_not_found');
  // NOTE: docs.slack.dev/reference/methods/chat.postEphemeral: user_not_in_channel.
  if (!state.isMember(conversation, person.id)) return refuse('user_not_in_channel');
  const checked = checkMessageContent(args);
  if (!checked.ok) return checked.outcome;
  const threadTs = threadRoot(state, conversation.id, args.thread_ts);
  const message = state.postEphemeral({
    channel: conversation.id,
    user: state.bot.userId,
    botId: state.bot.botId,
    to: person.id,
    ...checked.content,
    ...(threadTs === undefined ? {} : { threadTs }),
    via: 'web_api',
  });
  return succeed({ message_ts: message.ts });
};

const deleteMessage: MethodHandler = (raw, state) => {
  const parsed = parseArguments(deleteArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const found = ownMessage(state, parsed.args, 'cant_delete_message');
  if (!found.ok) return found.outcome;
  const { conversation, existing } = found;
  state.deleteMessage(conversation.id, existing.ts);
  return succeed({ channel: conversation.id, ts: existing.ts });
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': deleteMessage,
};
