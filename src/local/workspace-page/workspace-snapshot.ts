import type { LocalSlack } from '../slack-api/local-slack.ts';
import type { SlackBlock, TextObject } from '../slack-api/block-kit.ts';
import type { StoredMessage, StoredView, WorkspaceUser } from '../slack-api/workspace-state.ts';
import { PageRequestError } from './page-http.ts';

// What the page shows of the local Slack, as one person sees it: the same messages, threads,
// ephemerals, modals and Home tab the app made, read from the local Slack API's state.

/** Top-level messages per channel the page loads; older ones stay in the local Slack. */
const MESSAGES_SHOWN = 300;

export interface PersonView {
  id: string;
  name: string;
  realName: string;
  approver: boolean;
}

export interface FileView {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  url: string;
}

export interface MessageView {
  ts: string;
  channel: string;
  user: string;
  author: string;
  isBot: boolean;
  text: string;
  blocks: SlackBlock[];
  files: FileView[];
  threadTs: string | null;
  replyCount: number;
  ephemeral: boolean;
  edited: boolean;
}

export interface ConversationView {
  id: string;
  name: string;
  kind: 'channel' | 'im';
  /** Who is in the channel, the bot included once invited (empty for a DM). */
  members: { id: string; name: string; isBot: boolean }[];
  messages: MessageView[];
}

export interface ModalSnapshot {
  id: string;
  title: TextObject | null;
  submit: TextObject | null;
  close: TextObject | null;
  blocks: SlackBlock[];
  /** How many modals are stacked under this one. */
  depth: number;
}

export interface WorkspaceSnapshot {
  team: string;
  bot: { id: string; name: string };
  person: PersonView;
  people: PersonView[];
  conversations: ConversationView[];
  modal: ModalSnapshot | null;
  home: { id: string; blocks: SlackBlock[] } | null;
}

export interface ThreadSnapshot {
  channel: string;
  parent: MessageView;
  replies: MessageView[];
}

export interface Approvers {
  users: readonly string[];
  usergroups: readonly string[];
}

export class WorkspaceReader {
  private readonly slack: LocalSlack;
  private readonly approvers: Approvers;

  constructor(slack: LocalSlack, approvers: Approvers) {
    this.slack = slack;
    this.approvers = approvers;
  }

  people(): PersonView[] {
    return this.slack.workspace
      .allUsers()
      .filter((user) => !user.isBot)
      .map((user) => this.personView(user));
  }

  /** A seeded person (never the bot); anything else is the caller's mistake. */
  person(userId: string | null | undefined): WorkspaceUser {
    const user = userId == null ? undefined : this.slack.workspace.user(userId);
    if (user === undefined || user.isBot) {
      throw new PageRequestError(400, `No person ${userId ?? '(none given)'} in the local workspace`);
    }
    return user;
  }

  snapshot(userId: string): WorkspaceSnapshot {
    const person = this.person(userId);
    const { workspace } = this.slack;
    const ephemerals = this.slack.ephemerals(person.id);
    const conversations = workspace
      .allConversations()
      .filter((conversation) => conversation.kind === 'channel' || conversation.members.includes(person.id))
      .filter((conversation) => conversation.kind !== 'mpim')
      .map((conversation): ConversationView => {
        const own = ephemerals.filter((message) => message.channel === conversation.id && !isReply(message));
        const messages = [...this.slack.messages(conversation.id), ...own]
          .sort((a, b) => Number(a.ts) - Number(b.ts))
          .slice(-MESSAGES_SHOWN)
          .map((message) => this.messageView(message));
        return {
          id: conversation.id,
          name: conversation.kind === 'im' ? `${workspace.bot.name} (direct message)` : conversation.name,
          kind: conversation.kind === 'im' ? 'im' : 'channel',
          members:
            conversation.kind === 'im'
              ? []
              : conversation.members.flatMap((memberId) => {
                  const member = workspace.user(memberId);
                  return member === undefined
                    ? []
                    : [
                        {
                          id: member.id,
                          name: member.isBot ? member.name : member.realName,
                          isBot: member.isBot,
                        },
                      ];
                }),
          messages,
        };
      });
    const stack = this.slack.openViews(person.id);
    const top = stack.at(-1);
    const home = this.slack.homeView(person.id);
    return {
      team: workspace.team.name,
      bot: { id: workspace.bot.userId, name: workspace.bot.name },
      person: this.personView(person),
      people: this.people(),
      conversations,
      modal: top === undefined ? null : modalSnapshot(top, stack.length - 1),
      home: home === undefined ? null : { id: home.id, blocks: home.definition.blocks },
    };
  }

  thread(userId: string, channel: string, ts: string): ThreadSnapshot {
    const person = this.person(userId);
    const thread = this.slack.threadOf(channel, ts);
    if (thread === undefined) throw new PageRequestError(404, `No message ${ts} in ${channel}`);
    const own = this.slack
      .ephemerals(person.id)
      .filter((message) => message.channel === thread.parent.channel && message.threadTs === ts);
    const replies = [...thread.replies, ...own].sort((a, b) => Number(a.ts) - Number(b.ts));
    return {
      channel: thread.parent.channel,
      parent: this.messageView(thread.parent),
      replies: replies.map((message) => this.messageView(message)),
    };
  }

  private personView(user: WorkspaceUser): PersonView {
    const { workspace } = this.slack;
    const inGroup = this.approvers.usergroups.some((id) => workspace.userGroup(id)?.users.includes(user.id));
    return {
      id: user.id,
      name: user.displayName,
      realName: user.realName,
      approver: this.approvers.users.includes(user.id) || inGroup,
    };
  }

  private messageView(message: StoredMessage): MessageView {
    const { workspace } = this.slack;
    const author = workspace.user(message.user);
    const thread =
      message.threadTs === message.ts && message.ephemeralTo === undefined
        ? this.slack.threadOf(message.channel, message.ts)
        : undefined;
    return {
      ts: message.ts,
      channel: message.channel,
      user: message.user,
      author: author?.displayName ?? message.user,
      isBot: author?.isBot ?? message.botId !== undefined,
      text: message.text,
      blocks: message.blocks,
      files: message.fileIds.flatMap((id) => {
        const file = this.slack.file(id);
        if (file === undefined) return [];
        return [
          {
            id: file.id,
            name: file.name,
            title: file.title,
            mimetype: file.mimetype,
            size: file.bytes?.length ?? file.declaredLength,
            url: `/local/files/${encodeURIComponent(file.id)}`,
          },
        ];
      }),
      threadTs: message.threadTs ?? null,
      replyCount: thread?.replyCount ?? 0,
      ephemeral: message.ephemeralTo !== undefined,
      edited: message.edited !== undefined,
    };
  }
}

function isReply(message: StoredMessage): boolean {
  return message.threadTs !== undefined && message.threadTs !== message.ts;
}

function modalSnapshot(view: StoredView, depth: number): ModalSnapshot {
  const { definition } = view;
  return {
    id: view.id,
    title: definition.title ?? null,
    submit: definition.submit ?? null,
    close: definition.close ?? null,
    blocks: definition.blocks,
    depth,
  };
}
