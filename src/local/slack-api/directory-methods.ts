import { z } from 'zod';

import { parseArguments, refuse, succeed, type MethodHandler } from './method-outcome.ts';
import { botCannotPost } from './chat-methods.ts';
import { wireMessage, wireUser } from './wire-shapes.ts';
import type { Conversation, WorkspaceState } from './workspace-state.ts';

const openArguments = z.object({ users: z.string().optional(), channel: z.string().optional() });
const historyArguments = z.object({
  channel: z.string().optional(),
  limit: z.coerce.number().int().positive().optional(),
});
const repliesArguments = z.object({ channel: z.string().optional(), ts: z.string().optional() });

function stringArgument(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function wireConversation(state: WorkspaceState, conversation: Conversation): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: conversation.id,
    name: conversation.name,
    is_channel: conversation.kind === 'channel',
    is_group: false,
    is_im: conversation.kind === 'im',
    is_mpim: conversation.kind === 'mpim',
    is_private: conversation.kind !== 'channel',
    is_member: true,
    context_team_id: state.team.id,
  };
  if (conversation.kind === 'im') wire.user = conversation.members[0];
  return wire;
}

const authTest: MethodHandler = (_raw, state) =>
  succeed({
    url: `https://${state.team.domain}.slack.com/`,
    team: state.team.name,
    user: state.bot.name,
    team_id: state.team.id,
    user_id: state.bot.userId,
    bot_id: state.bot.botId,
    is_enterprise_install: false,
  });

const usersInfo: MethodHandler = (raw, state) => {
  const userId = stringArgument(raw, 'user');
  const person = userId === undefined ? undefined : state.user(userId);
  if (person === undefined) return refuse('user_not_found');
  return succeed({ user: wireUser(state, person) });
};

const userGroupMembers: MethodHandler = (raw, state) => {
  const groupId = stringArgument(raw, 'usergroup');
  const group = groupId === undefined ? undefined : state.userGroup(groupId);
  if (group === undefined) return refuse('no_such_subteam');
  return succeed({ users: group.users });
};

const conversationsOpen: MethodHandler = (raw, state) => {
  const parsed = parseArguments(openArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  if (args.channel !== undefined) {
    const existing = state.conversation(args.channel);
    if (existing === undefined || existing.kind === 'channel') return refuse('channel_not_found');
    return succeed({ no_op: true, already_open: true, channel: { id: existing.id } });
  }
  const userIds = (args.users ?? '').split(',').filter((id) => id !== '');
  if (userIds.length === 0) return refuse('users_list_not_supplied');
  if (userIds.length > 8) return refuse('too_many_users');
  for (const userId of userIds) {
    if (state.user(userId) === undefined) return refuse('user_not_found');
  }
  const { conversation, alreadyOpen } = state.openDirectMessage(userIds);
  return succeed({
    ...(alreadyOpen ? { no_op: true, already_open: true } : {}),
    channel: { id: conversation.id },
  });
};

const conversationsInfo: MethodHandler = (raw, state) => {
  const channelRef = stringArgument(raw, 'channel');
  const conversation = channelRef === undefined ? undefined : state.conversation(channelRef);
  if (conversation === undefined || hiddenFromBot(state, conversation)) return refuse('channel_not_found');
  return succeed({ channel: wireConversation(state, conversation) });
};

const conversationsHistory: MethodHandler = (raw, state) => {
  const parsed = parseArguments(historyArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const conversation =
    parsed.args.channel === undefined ? undefined : state.conversation(parsed.args.channel);
  if (conversation === undefined) return refuse('channel_not_found');
  const refused = botCannotPost(state, conversation);
  if (refused !== undefined) return refused;
  const newestFirst = state.messages(conversation.id).reverse();
  const limit = parsed.args.limit ?? 100;
  return succeed({
    messages: newestFirst.slice(0, limit).map((message) => wireMessage(state, message)),
    has_more: newestFirst.length > limit,
  });
};

const conversationsReplies: MethodHandler = (raw, state) => {
  const parsed = parseArguments(repliesArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const conversation =
    parsed.args.channel === undefined ? undefined : state.conversation(parsed.args.channel);
  if (conversation === undefined) return refuse('channel_not_found');
  const refused = botCannotPost(state, conversation);
  if (refused !== undefined) return refused;
  const thread = parsed.args.ts === undefined ? undefined : state.threadOf(conversation.id, parsed.args.ts);
  if (thread === undefined) return refuse('thread_not_found');
  return succeed({
    messages: [thread.parent, ...thread.replies].map((message) => wireMessage(state, message)),
    has_more: false,
  });
};

/** A private channel the bot is not in does not exist, as far as the bot can tell. */
function hiddenFromBot(state: WorkspaceState, conversation: Conversation): boolean {
  return conversation.isPrivate && !state.isMember(conversation, state.bot.userId);
}

export const directoryMethods: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'usergroups.users.list': userGroupMembers,
  'conversations.open': conversationsOpen,
  'conversations.info': conversationsInfo,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
};
