import type {
  StoredFile,
  StoredMessage,
  StoredView,
  WorkspaceState,
  WorkspaceUser,
} from './workspace-state.ts';

/** A stored message as Slack's Web API and interaction payloads show it. */
export function wireMessage(state: WorkspaceState, message: StoredMessage): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    type: 'message',
    text: message.text,
    user: message.user,
    ts: message.ts,
    team: state.team.id,
    blocks: message.blocks,
  };
  if (message.botId !== undefined) {
    wire.bot_id = message.botId;
    wire.app_id = state.appId;
    wire.bot_profile = {
      id: message.botId,
      app_id: state.appId,
      name: state.bot.name,
      team_id: state.team.id,
      deleted: false,
    };
  }
  if (message.attachments.length > 0) wire.attachments = message.attachments;
  if (message.threadTs !== undefined) {
    wire.thread_ts = message.threadTs;
    if (message.threadTs === message.ts) {
      const thread = state.threadOf(message.channel, message.ts);
      if (thread !== undefined && thread.replyCount > 0) {
        wire.reply_count = thread.replyCount;
        wire.reply_users = thread.replyUsers;
        wire.latest_reply = thread.latestReply;
      }
    } else {
      const parent = state.message(message.channel, message.threadTs);
      if (parent !== undefined) wire.parent_user_id = parent.user;
    }
  }
  if (message.replyBroadcast) wire.subtype = 'thread_broadcast';
  if (message.metadata !== undefined) wire.metadata = message.metadata;
  if (message.fileIds.length > 0) {
    wire.files = message.fileIds.flatMap((id) => {
      const file = state.file(id);
      return file === undefined ? [] : [wireFile(state, file)];
    });
    wire.upload = true;
  }
  if (message.edited !== undefined) wire.edited = message.edited;
  return wire;
}

/** A stored modal or home tab as views.* responses and interaction payloads show it. */
export function wireView(state: WorkspaceState, view: StoredView): Record<string, unknown> {
  const { definition } = view;
  const wire: Record<string, unknown> = {
    id: view.id,
    team_id: state.team.id,
    type: definition.type,
    blocks: definition.blocks,
    private_metadata: definition.privateMetadata,
    callback_id: definition.callbackId,
    state: view.state,
    hash: view.hash,
    clear_on_close: definition.clearOnClose,
    notify_on_close: definition.notifyOnClose,
    root_view_id: view.rootViewId,
    previous_view_id: view.previousViewId,
    app_id: state.appId,
    external_id: definition.externalId,
    app_installed_team_id: state.team.id,
    bot_id: state.bot.botId,
  };
  if (definition.type === 'modal') {
    wire.title = definition.title;
    wire.submit = definition.submit ?? null;
    wire.close = definition.close ?? null;
    wire.submit_disabled = definition.submitDisabled;
  }
  return wire;
}

export function wireUser(state: WorkspaceState, user: WorkspaceUser): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    real_name: user.realName,
    real_name_normalized: user.realName,
    display_name: user.displayName,
    display_name_normalized: user.displayName,
    email: user.email,
    team: state.team.id,
  };
  if (user.botId !== undefined) profile.bot_id = user.botId;
  return {
    id: user.id,
    team_id: state.team.id,
    name: user.name,
    deleted: false,
    real_name: user.realName,
    tz: user.tz,
    is_admin: false,
    is_owner: false,
    is_bot: user.isBot,
    is_app_user: false,
    profile,
  };
}

export function fileUrl(state: WorkspaceState, file: StoredFile): string {
  return `${state.baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`;
}

export function wireFile(state: WorkspaceState, file: StoredFile): Record<string, unknown> {
  const url = fileUrl(state, file);
  const channels = [...new Set(file.shares.map((share) => share.channel))];
  return {
    id: file.id,
    created: file.createdSeconds,
    timestamp: file.createdSeconds,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.userId,
    user_team: state.team.id,
    size: file.bytes?.length ?? file.declaredLength,
    mode: 'hosted',
    is_external: false,
    is_public: channels.some((channel) => state.conversation(channel)?.kind === 'channel'),
    url_private: url,
    url_private_download: `${url}?download=1`,
    permalink: `https://${state.team.domain}.slack.com/files/${file.userId}/${file.id}/${encodeURIComponent(file.name)}`,
    alt_txt: file.altText,
    channels,
    shares: wireShares(state, file),
    comments_count: 0,
  };
}

/** Slack's `shares`: per channel, the messages the file was shared in, grouped public and private. */
function wireShares(state: WorkspaceState, file: StoredFile): Record<string, Record<string, unknown[]>> {
  const shares: Record<string, Record<string, unknown[]>> = {};
  for (const share of file.shares) {
    const visibility = state.conversation(share.channel)?.isPrivate === false ? 'public' : 'private';
    const group = (shares[visibility] ??= {});
    (group[share.channel] ??= []).push({
      ts: share.ts,
      channel_name: state.conversation(share.channel)?.name,
    });
  }
  return shares;
}
