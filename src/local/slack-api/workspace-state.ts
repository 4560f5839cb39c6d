import { EventEmitter } from 'node:events';

import type { SlackBlock, StateValues } from './block-kit.ts';
import type { ViewDefinition } from './block-validation.ts';
import { SlackIdIssuer } from './slack-ids.ts';
import type { SeedUser, WorkspaceSeed } from './workspace-seed.ts';

// NOTE: Slack honours a trigger_id for 3 s, and a response_url for 5 posts within 30 minutes.
export const triggerLifetimeMs = 3_000;
export const responseUrlLifetimeMs = 30 * 60 * 1000;
export const responseUrlMaxPosts = 5;

/** A seeded person, or the bot user. */
export interface WorkspaceUser extends SeedUser {
  isBot: boolean;
  botId?: string;
}

export interface Conversation {
  id: string;
  name: string;
  kind: 'channel' | 'im' | 'mpim';
  /** A private channel: its id and name are unknown to anyone not in it. */
  isPrivate: boolean;
  /** Who is in the conversation (the bot too, once invited to a channel). */
  members: string[];
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  /** The author: a person, or the bot user for messages the app posted. */
  user: string;
  botId?: string;
  text: string;
  blocks: SlackBlock[];
  attachments: unknown[];
  threadTs?: string;
  replyBroadcast: boolean;
  metadata?: MessageMetadata;
  fileIds: string[];
  edited?: { user: string; ts: string };
  /** Set on ephemeral messages: the only person who sees it. */
  ephemeralTo?: string;
  via: 'web_api' | 'command_ack' | 'response_url' | 'person';
}

export interface StoredView {
  id: string;
  userId: string;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  definition: ViewDefinition;
  state: { values: StateValues };
}

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  declaredLength: number;
  bytes?: Buffer;
  mimetype: string;
  filetype: string;
  createdSeconds: number;
  userId: string;
  altText?: string;
  shares: { channel: string; ts: string }[];
}

export interface ResponseUrlRecord {
  id: string;
  url: string;
  userId: string;
  channelId: string;
  issuedAtMs: number;
  /** The message the interaction came from, which replace_original/delete_original act on. */
  source?: { ts: string; ephemeral: boolean };
  posts: ResponsePost[];
}

export interface ResponsePost {
  responseUrlId: string;
  at: Date;
  body: unknown;
  status: number;
  outcome:
    | 'posted_ephemeral'
    | 'posted_in_channel'
    | 'replaced_original'
    | 'deleted_original'
    | 'used_url'
    | 'expired_url'
    | 'no_text'
    | 'invalid_blocks';
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  at: Date;
  status: number;
  ok: boolean;
  error?: string;
}

export interface IssuedTrigger {
  id: string;
  userId: string;
  issuedAtMs: number;
  exchanged: boolean;
}

export interface Thread {
  parent: StoredMessage;
  replies: StoredMessage[];
  replyCount: number;
  replyUsers: string[];
  latestReply?: string;
}

export type WorkspaceChange =
  | { kind: 'api_called'; method: string; ok: boolean }
  | { kind: 'message_posted' | 'message_updated' | 'message_deleted'; channel: string; ts: string }
  | {
      kind: 'ephemeral_posted' | 'ephemeral_replaced' | 'ephemeral_deleted';
      channel: string;
      ts: string;
      userId: string;
    }
  | { kind: 'view_opened' | 'view_pushed' | 'view_updated' | 'view_closed'; userId: string; viewId: string }
  | { kind: 'home_published'; userId: string; viewId: string }
  | { kind: 'file_created' | 'file_uploaded'; fileId: string }
  | { kind: 'response_url_posted'; responseUrlId: string; outcome: ResponsePost['outcome'] }
  | { kind: 'conversation_opened'; channel: string }
  | { kind: 'members_changed'; channel: string }
  | { kind: 'trigger_issued'; userId: string };

export type TriggerExchange =
  | { ok: true; trigger: IssuedTrigger }
  | { ok: false; error: 'invalid_trigger_id' | 'exchanged_trigger_id' | 'expired_trigger_id' };

export interface NewMessage {
  channel: string;
  user: string;
  botId?: string;
  text: string;
  blocks?: SlackBlock[];
  attachments?: unknown[];
  threadTs?: string;
  replyBroadcast?: boolean;
  metadata?: MessageMetadata;
  fileIds?: string[];
  via: StoredMessage['via'];
}

export interface MessagePatch {
  text?: string;
  blocks?: SlackBlock[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
}

function copyOf<T>(value: T): T {
  return structuredClone(value);
}

function isTopLevel(message: StoredMessage): boolean {
  return message.threadTs === undefined || message.threadTs === message.ts || message.replyBroadcast;
}

/** Everything the local Slack workspace holds; every mutation emits one `change` event. */
export class WorkspaceState extends EventEmitter<{ change: [WorkspaceChange] }> {
  readonly ids: SlackIdIssuer;
  readonly team: WorkspaceSeed['team'];
  readonly appId: string;
  readonly bot: WorkspaceSeed['bot'];
  readonly commands: readonly string[];
  /** Origin of the local server (`http://127.0.0.1:PORT`), known once it listens. */
  baseUrl = '';

  private readonly users = new Map<string, WorkspaceUser>();
  private readonly userGroups = new Map<string, WorkspaceSeed['userGroups'][number]>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly messagesByChannel = new Map<string, StoredMessage[]>();
  private readonly ephemeralMessages: StoredMessage[] = [];
  private readonly modalStacks = new Map<string, StoredView[]>();
  private readonly homes = new Map<string, StoredView>();
  private readonly files = new Map<string, StoredFile>();
  private readonly responseUrls = new Map<string, ResponseUrlRecord>();
  private readonly apiCalls: ApiCall[] = [];
  private readonly triggers = new Map<string, IssuedTrigger>();

  readonly nowMs: () => number;

  constructor(seed: WorkspaceSeed, nowMs: () => number) {
    super();
    this.nowMs = nowMs;
    this.ids = new SlackIdIssuer(nowMs);
    this.team = seed.team;
    this.appId = seed.appId;
    this.bot = seed.bot;
    this.commands = [...seed.commands];
    this.users.set(seed.bot.userId, {
      id: seed.bot.userId,
      name: seed.bot.name,
      realName: seed.bot.name,
      displayName: seed.bot.name,
      email: '',
      tz: 'UTC',
      isBot: true,
      botId: seed.bot.botId,
    });
    for (const user of seed.users) this.users.set(user.id, { ...user, isBot: false });
    for (const group of seed.userGroups) this.userGroups.set(group.id, { ...group, users: [...group.users] });
    const everyone = [seed.bot.userId, ...seed.users.map((user) => user.id)];
    for (const channel of seed.channels) {
      this.conversations.set(channel.id, {
        id: channel.id,
        name: channel.name,
        kind: 'channel',
        isPrivate: channel.private ?? false,
        members: [...(channel.members ?? everyone)],
      });
      this.messagesByChannel.set(channel.id, []);
    }
  }

  // ---- directory ----

  user(id: string): WorkspaceUser | undefined {
    const user = this.users.get(id);
    return user === undefined ? undefined : copyOf(user);
  }

  allUsers(): WorkspaceUser[] {
    return [...this.users.values()].map(copyOf);
  }

  userGroup(id: string): { id: string; handle: string; name: string; users: string[] } | undefined {
    const group = this.userGroups.get(id);
    return group === undefined ? undefined : copyOf(group);
  }

  /** Finds a conversation by id, `#name` or bare name; a user id finds the bot's open DM with them. */
  conversation(ref: string): Conversation | undefined {
    const byId = this.conversations.get(ref);
    if (byId !== undefined) return copyOf(byId);
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'im' && conversation.members[0] === ref) return copyOf(conversation);
    }
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'channel' && conversation.name === name) return copyOf(conversation);
    }
    return undefined;
  }

  allConversations(): Conversation[] {
    return [...this.conversations.values()].map(copyOf);
  }

  isMember(conversation: Conversation, userId: string): boolean {
    return conversation.members.includes(userId);
  }

  /** `/invite @someone` in a channel (the bot too); false when they were in it already. */
  invite(channelId: string, userId: string): boolean {
    const channel = this.channelOrThrow(channelId);
    if (this.users.get(userId) === undefined) throw new Error(`No user ${userId} in the local workspace`);
    if (channel.members.includes(userId)) return false;
    channel.members.push(userId);
    this.emit('change', { kind: 'members_changed', channel: channelId });
    return true;
  }

  /** Removes someone (or the bot) from a channel; false when they were not in it. */
  removeFromChannel(channelId: string, userId: string): boolean {
    const channel = this.channelOrThrow(channelId);
    if (!channel.members.includes(userId)) return false;
    channel.members = channel.members.filter((member) => member !== userId);
    this.emit('change', { kind: 'members_changed', channel: channelId });
    return true;
  }

  private channelOrThrow(channelId: string): Conversation {
    const channel = this.conversations.get(channelId);
    if (channel?.kind !== 'channel') throw new Error(`No channel ${channelId} in the local workspace`);
    return channel;
  }

  /** The bot's DM (one person) or group DM (several) with these people; the same id every time. */
  openDirectMessage(userIds: string[]): { conversation: Conversation; alreadyOpen: boolean } {
    const members = [...new Set(userIds)].sort();
    const kind = members.length === 1 ? 'im' : 'mpim';
    for (const conversation of this.conversations.values()) {
      const people = conversation.members.filter((member) => member !== this.bot.userId);
      if (conversation.kind === kind && people.join(',') === members.join(',')) {
        return { conversation: copyOf(conversation), alreadyOpen: true };
      }
    }
    const id = this.ids.id(kind === 'im' ? 'D' : 'G');
    const conversation: Conversation = {
      id,
      name: kind === 'im' ? id : `mpdm-${members.join('--')}`,
      kind,
      isPrivate: true,
      // NOTE: the bot is in every DM it opens.
      members: [...members, this.bot.userId],
    };
    this.conversations.set(id, conversation);
    this.messagesByChannel.set(id, []);
    this.emit('change', { kind: 'conversation_opened', channel: id });
    return { conversation: copyOf(conversation), alreadyOpen: false };
  }

  // ---- messages ----

  postMessage(input: NewMessage): StoredMessage {
    const list = this.messagesByChannel.get(input.channel);
    if (list === undefined) throw new Error(`No conversation ${input.channel} in the local workspace`);
    const message = this.buildMessage(input);
    const parent = list.find((candidate) => candidate.ts === input.threadTs);
    if (parent !== undefined) parent.threadTs ??= parent.ts;
    list.push(message);
    this.emit('change', { kind: 'message_posted', channel: message.channel, ts: message.ts });
    return copyOf(message);
  }

  postEphemeral(input: NewMessage & { to: string }): StoredMessage {
    const message: StoredMessage = { ...this.buildMessage(input), ephemeralTo: input.to };
    this.ephemeralMessages.push(message);
    this.emit('change', {
      kind: 'ephemeral_posted',
      channel: message.channel,
      ts: message.ts,
      userId: input.to,
    });
    return copyOf(message);
  }

  updateMessage(channel: string, ts: string, patch: MessagePatch, editor: string): StoredMessage | undefined {
    const message = this.messagesByChannel.get(channel)?.find((candidate) => candidate.ts === ts);
    if (message === undefined) return undefined;
    this.applyPatch(message, patch);
    message.edited = { user: editor, ts: this.ids.messageTs() };
    this.emit('change', { kind: 'message_updated', channel, ts });
    return copyOf(message);
  }

  deleteMessage(channel: string, ts: string): boolean {
    const list = this.messagesByChannel.get(channel);
    const index = list?.findIndex((candidate) => candidate.ts === ts) ?? -1;
    if (list === undefined || index < 0) return false;
    list.splice(index, 1);
    this.emit('change', { kind: 'message_deleted', channel, ts });
    return true;
  }

  replaceEphemeral(ts: string, patch: MessagePatch): StoredMessage | undefined {
    const message = this.ephemeralMessages.find((candidate) => candidate.ts === ts);
    if (message?.ephemeralTo === undefined) return undefined;
    this.applyPatch(message, patch);
    this.emit('change', {
      kind: 'ephemeral_replaced',
      channel: message.channel,
      ts,
      userId: message.ephemeralTo,
    });
    return copyOf(message);
  }

  deleteEphemeral(ts: string): boolean {
    const index = this.ephemeralMessages.findIndex((candidate) => candidate.ts === ts);
    const message = this.ephemeralMessages[index];
    if (message?.ephemeralTo === undefined) return false;
    this.ephemeralMessages.splice(index, 1);
    this.emit('change', {
      kind: 'ephemeral_deleted',
      channel: message.channel,
      ts,
      userId: message.ephemeralTo,
    });
    return true;
  }

  message(channelRef: string, ts: string): StoredMessage | undefined {
    const channel = this.conversation(channelRef);
    const message =
      channel && this.messagesByChannel.get(channel.id)?.find((candidate) => candidate.ts === ts);
    return message === undefined ? undefined : copyOf(message);
  }

  ephemeral(ts: string): StoredMessage | undefined {
    const message = this.ephemeralMessages.find((candidate) => candidate.ts === ts);
    return message === undefined ? undefined : copyOf(message);
  }

  /** Channel history oldest first: top-level messages, or with `threadTs` the replies in that thread. */
  messages(channelRef: string, options: { threadTs?: string } = {}): StoredMessage[] {
    const list = this.channelMessages(channelRef);
    const { threadTs } = options;
    const selected =
      threadTs === undefined
        ? list.filter(isTopLevel)
        : list.filter((message) => message.threadTs === threadTs && message.ts !== threadTs);
    return selected.map(copyOf);
  }

  /** Every message in the channel, thread replies included, oldest first. */
  history(channelRef: string): StoredMessage[] {
    return this.channelMessages(channelRef).map(copyOf);
  }

  threadOf(channelRef: string, ts: string): Thread | undefined {
    const parent = this.message(channelRef, ts);
    if (parent === undefined) return undefined;
    const replies = this.messages(channelRef, { threadTs: ts });
    const thread: Thread = {
      parent,
      replies,
      replyCount: replies.length,
      replyUsers: [...new Set(replies.map((reply) => reply.user))],
    };
    const latest = replies.at(-1);
    if (latest !== undefined) thread.latestReply = latest.ts;
    return thread;
  }

  ephemerals(userId: string): StoredMessage[] {
    return this.ephemeralMessages.filter((message) => message.ephemeralTo === userId).map(copyOf);
  }

  // ---- views ----

  /** Opens a modal for the user, replacing any stack they had (a new trigger starts a new modal). */
  openModal(userId: string, definition: ViewDefinition): StoredView {
    const id = this.ids.id('V');
    const view = this.newView(userId, definition, { id, rootViewId: id, previousViewId: null });
    this.modalStacks.set(userId, [view]);
    this.emit('change', { kind: 'view_opened', userId, viewId: id });
    return copyOf(view);
  }

  pushModal(userId: string, definition: ViewDefinition): StoredView | undefined {
    const stack = this.modalStacks.get(userId);
    const top = stack?.at(-1);
    if (stack === undefined || top === undefined) return undefined;
    const id = this.ids.id('V');
    const view = this.newView(userId, definition, { id, rootViewId: top.rootViewId, previousViewId: top.id });
    stack.push(view);
    this.emit('change', { kind: 'view_pushed', userId, viewId: id });
    return copyOf(view);
  }

  /** Replaces a modal's or home tab's content in place, keeping its id and giving it a new hash. */
  updateView(viewId: string, definition: ViewDefinition): StoredView | undefined {
    const view = this.liveView(viewId);
    if (view === undefined) return undefined;
    view.definition = definition;
    view.hash = this.ids.viewHash();
    view.state = { values: {} };
    this.emit('change', { kind: 'view_updated', userId: view.userId, viewId });
    return copyOf(view);
  }

  recordViewState(viewId: string, values: StateValues): void {
    const view = this.liveView(viewId);
    if (view === undefined) return;
    view.state = { values: copyOf(values) };
    this.emit('change', { kind: 'view_updated', userId: view.userId, viewId });
  }

  /** Closes one modal; closing the root (or with `all`) closes the whole stack. */
  closeModal(userId: string, viewId: string, options: { all?: boolean } = {}): StoredView[] {
    const stack = this.modalStacks.get(userId) ?? [];
    const index = stack.findIndex((view) => view.id === viewId);
    if (index < 0) return [];
    const closed = options.all === true || index === 0 ? stack.splice(0) : stack.splice(index);
    if (stack.length === 0) this.modalStacks.delete(userId);
    for (const view of closed) this.emit('change', { kind: 'view_closed', userId, viewId: view.id });
    return closed.map(copyOf);
  }

  publishHome(userId: string, definition: ViewDefinition): StoredView {
    const existing = this.homes.get(userId);
    const id = existing?.id ?? this.ids.id('V');
    const view = this.newView(userId, definition, { id, rootViewId: id, previousViewId: null });
    this.homes.set(userId, view);
    this.emit('change', { kind: 'home_published', userId, viewId: id });
    return copyOf(view);
  }

  view(viewId: string): StoredView | undefined {
    const view = this.liveView(viewId);
    return view === undefined ? undefined : copyOf(view);
  }

  viewByExternalId(externalId: string): StoredView | undefined {
    for (const view of this.liveViews()) {
      if (view.definition.externalId === externalId) return copyOf(view);
    }
    return undefined;
  }

  /** The user's modal stack, root first. */
  openViews(userId: string): StoredView[] {
    return (this.modalStacks.get(userId) ?? []).map(copyOf);
  }

  homeView(userId: string): StoredView | undefined {
    const view = this.homes.get(userId);
    return view === undefined ? undefined : copyOf(view);
  }

  // ---- triggers ----

  issueTrigger(userId: string): string {
    const id = this.ids.triggerId(this.team.id);
    this.triggers.set(id, { id, userId, issuedAtMs: this.nowMs(), exchanged: false });
    this.emit('change', { kind: 'trigger_issued', userId });
    return id;
  }

  exchangeTrigger(id: string): TriggerExchange {
    const trigger = this.triggers.get(id);
    if (trigger === undefined) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.exchanged) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.nowMs() - trigger.issuedAtMs > triggerLifetimeMs)
      return { ok: false, error: 'expired_trigger_id' };
    trigger.exchanged = true;
    return { ok: true, trigger: copyOf(trigger) };
  }

  // ---- files ----

  createFile(input: { name: string; declaredLength: number; altText?: string }): StoredFile {
    const extension = /\.([a-z0-9]+)$/i.exec(input.name)?.[1]?.toLowerCase() ?? 'binary';
    const file: StoredFile = {
      id: this.ids.id('F'),
      name: input.name,
      title: input.name,
      declaredLength: input.declaredLength,
      mimetype: mimetypeFor(extension),
      filetype: extension,
      createdSeconds: Math.floor(this.nowMs() / 1000),
      userId: this.bot.userId,
      shares: [],
    };
    if (input.altText !== undefined) file.altText = input.altText;
    this.files.set(file.id, file);
    this.emit('change', { kind: 'file_created', fileId: file.id });
    return copyOf(file);
  }

  storeFileBytes(fileId: string, bytes: Buffer): boolean {
    const file = this.files.get(fileId);
    if (file === undefined) return false;
    file.bytes = Buffer.from(bytes);
    this.emit('change', { kind: 'file_uploaded', fileId });
    return true;
  }

  completeFile(fileId: string, title: string | undefined, share?: { channel: string; ts: string }): void {
    const file = this.files.get(fileId);
    if (file === undefined) return;
    if (title !== undefined && title !== '') file.title = title;
    if (share !== undefined) file.shares.push(share);
    this.emit('change', { kind: 'file_uploaded', fileId });
  }

  file(fileId: string): StoredFile | undefined {
    const file = this.files.get(fileId);
    if (file === undefined) return undefined;
    const { bytes, ...rest } = file;
    const copy: StoredFile = copyOf(rest);
    if (bytes !== undefined) copy.bytes = Buffer.from(bytes);
    return copy;
  }

  // ---- response_url ----

  issueResponseUrl(input: Omit<ResponseUrlRecord, 'id' | 'url' | 'issuedAtMs' | 'posts'>): ResponseUrlRecord {
    const id = `${this.ids.id('R')}-${this.ids.secret()}`;
    const record: ResponseUrlRecord = {
      ...input,
      id,
      url: `${this.baseUrl}/response-url/${id}`,
      issuedAtMs: this.nowMs(),
      posts: [],
    };
    this.responseUrls.set(id, record);
    return copyOf(record);
  }

  responseUrl(id: string): ResponseUrlRecord | undefined {
    const record = this.responseUrls.get(id);
    return record === undefined ? undefined : copyOf(record);
  }

  recordResponsePost(post: ResponsePost): void {
    const record = this.responseUrls.get(post.responseUrlId);
    if (record === undefined) return;
    record.posts.push(copyOf(post));
    this.emit('change', {
      kind: 'response_url_posted',
      responseUrlId: post.responseUrlId,
      outcome: post.outcome,
    });
  }

  /** Posts made to response URLs, oldest first; all of them, or those to one URL (id or full URL). */
  responses(responseUrlId?: string): ResponsePost[] {
    const records = [...this.responseUrls.values()].filter(
      (record) => responseUrlId === undefined || record.id === responseUrlId || record.url === responseUrlId,
    );
    return records
      .flatMap((record) => record.posts)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(copyOf);
  }

  // ---- call log ----

  recordCall(call: ApiCall): void {
    this.apiCalls.push(copyOf(call));
    this.emit('change', { kind: 'api_called', method: call.method, ok: call.ok });
  }

  calls(method?: string): ApiCall[] {
    return this.apiCalls.filter((call) => method === undefined || call.method === method).map(copyOf);
  }

  // ---- internals ----

  private buildMessage(input: NewMessage): StoredMessage {
    const message: StoredMessage = {
      ts: this.ids.messageTs(),
      channel: input.channel,
      user: input.user,
      text: input.text,
      blocks: input.blocks ?? [],
      attachments: input.attachments ?? [],
      replyBroadcast: input.replyBroadcast ?? false,
      fileIds: input.fileIds ?? [],
      via: input.via,
    };
    if (input.botId !== undefined) message.botId = input.botId;
    if (input.threadTs !== undefined) message.threadTs = input.threadTs;
    if (input.metadata !== undefined) message.metadata = input.metadata;
    return message;
  }

  private applyPatch(message: StoredMessage, patch: MessagePatch): void {
    if (patch.text !== undefined) message.text = patch.text;
    if (patch.blocks !== undefined) message.blocks = patch.blocks;
    if (patch.attachments !== undefined) message.attachments = patch.attachments;
    if (patch.metadata !== undefined) message.metadata = patch.metadata;
  }

  /** A reader's channel: unknown names throw so a mistyped id cannot pass as an empty channel. */
  private channelMessages(channelRef: string): StoredMessage[] {
    const channel = this.conversation(channelRef);
    if (channel !== undefined) return this.messagesByChannel.get(channel.id) ?? [];
    if (this.users.has(channelRef)) return [];
    throw new Error(`No channel ${channelRef} in the local workspace`);
  }

  /** A new view with a fresh hash and empty state; `place` is its id and where it stands in a modal stack. */
  private newView(
    userId: string,
    definition: ViewDefinition,
    place: Pick<StoredView, 'id' | 'rootViewId' | 'previousViewId'>,
  ): StoredView {
    return {
      id: place.id,
      userId,
      hash: this.ids.viewHash(),
      rootViewId: place.rootViewId,
      previousViewId: place.previousViewId,
      definition,
      state: { values: {} },
    };
  }

  private *liveViews(): Generator<StoredView> {
    for (const stack of this.modalStacks.values()) yield* stack;
    yield* this.homes.values();
  }

  private liveView(viewId: string): StoredView | undefined {
    for (const view of this.liveViews()) if (view.id === viewId) return view;
    return undefined;
  }
}

const mimetypes: Record<string, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  html: 'text/html',
};

function mimetypeFor(extension: string): string {
  return mimetypes[extension] ?? 'application/octet-stream';
}
