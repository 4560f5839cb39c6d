import {
  interactiveElements,
  isRecord,
  type ActionState,
  type SlackBlock,
  type StateValues,
} from './block-kit.ts';
import { checkView } from './block-validation.ts';
import { conversationForPosting } from './chat-methods.ts';
import {
  appHomeOpenedEnvelope,
  emptyActionState,
  messageBlockActions,
  slashCommandForm,
  viewBlockActions,
  viewClosed,
  viewSubmission,
  type ClickedButton,
} from './interaction-payloads.ts';
import { deliverResponseMessage } from './response-urls.ts';
import { slackSignatureHeaders } from './signing.ts';
import type {
  Conversation,
  StoredMessage,
  StoredView,
  WorkspaceState,
  WorkspaceUser,
} from './workspace-state.ts';

// NOTE: Slack itself waits 3 s for an ack; Bolt answers 404 on its own after 3001 ms, so this is only a backstop.
const requestTimeoutMs = 10_000;

export interface AppReply {
  status: number;
  /** Parsed JSON when the app answered JSON, else the raw text ('' for an empty ack). */
  body: unknown;
}

export interface SlashCommandInput {
  userId: string;
  channelId: string;
  command: string;
  text?: string;
}

export interface SlashCommandReply extends AppReply {
  responseUrl: string;
  triggerId: string;
  /** Slack did not send the command to the app (it is not one the app declares); Slackbot said why. */
  undeclared?: StoredMessage;
  /** The message Slack shows for the ack's `text`/`blocks`, if it carried one. */
  ackMessage?: StoredMessage;
}

/** A message a person writes in a channel, or in a thread there. */
export interface PersonMessageInput {
  userId: string;
  channelId: string;
  text: string;
  threadTs?: string;
}

export interface ButtonClick {
  userId: string;
  channelId?: string;
  /** Without it, the newest message in the channel (or the user's ephemeral there) with that button. */
  messageTs?: string;
  viewId?: string;
  actionId: string;
  blockId?: string;
  value?: string;
}

export interface ButtonClickReply extends AppReply {
  triggerId: string;
  responseUrl?: string;
}

/** Values per block_id and action_id: a full state entry, or a string / string list Slack's shape is built from. */
export type SubmittedValues = Record<string, Record<string, ActionState | string | string[]>>;

export interface ViewSubmissionInput {
  userId: string;
  viewId: string;
  values?: SubmittedValues;
}

export interface ViewSubmissionReply extends AppReply {
  triggerId: string;
  /** The `errors` of a `response_action: 'errors'` ack; the view stays open. */
  errors?: Record<string, string>;
  /** Why Slack would refuse the view the ack carried (`update`/`push`); nothing changes then. */
  rejectedView?: string[];
}

export interface ViewCloseReply {
  notified: boolean;
  reply?: AppReply;
}

function findButton(
  blocks: readonly SlackBlock[],
  actionId: string,
  blockId?: string,
): ClickedButton | undefined {
  for (const { block, element } of interactiveElements(blocks)) {
    if (element.type !== 'button' || element.action_id !== actionId) continue;
    if (blockId !== undefined && block.block_id !== blockId) continue;
    return { actionId, blockId: block.block_id ?? '', element };
  }
  return undefined;
}

function describeButtons(blocks: readonly SlackBlock[]): string {
  const ids = [...interactiveElements(blocks)]
    .filter(({ element }) => element.type === 'button')
    .map(({ block, element }) => `${block.block_id ?? '?'}/${String(element.action_id)}`);
  return ids.length === 0 ? 'no buttons' : `buttons ${ids.join(', ')}`;
}

function optionFor(element: Record<string, unknown>, value: string): unknown {
  const groups = Array.isArray(element.option_groups) ? (element.option_groups as unknown[]) : [];
  const options = [
    ...(Array.isArray(element.options) ? (element.options as unknown[]) : []),
    ...groups.flatMap((group) =>
      isRecord(group) && Array.isArray(group.options) ? (group.options as unknown[]) : [],
    ),
  ];
  return (
    options.find((option) => isRecord(option) && option.value === value) ?? {
      text: { type: 'plain_text', text: value },
      value,
    }
  );
}

/** Builds Slack's state entry for an input from the plain value a test gives. */
function actionStateFor(element: Record<string, unknown>, given: string | string[]): ActionState {
  const type = typeof element.type === 'string' ? element.type : 'plain_text_input';
  const list = Array.isArray(given) ? given : [given];
  const single = list[0] ?? '';
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: optionFor(element, single) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: list.map((value) => optionFor(element, value)) };
    case 'datepicker':
      return { type, selected_date: single };
    case 'timepicker':
      return { type, selected_time: single };
    case 'users_select':
      return { type, selected_user: single };
    case 'multi_users_select':
      return { type, selected_users: list };
    case 'conversations_select':
      return { type, selected_conversation: single };
    case 'channels_select':
      return { type, selected_channel: single };
    default:
      return { type, value: single };
  }
}

/** The view's full `state.values`: every input, filled from `values` or left empty as Slack does. */
function stateValuesFor(view: StoredView, values: SubmittedValues): StateValues {
  const state: StateValues = {};
  const known = new Set<string>();
  for (const { block, element } of interactiveElements(view.definition.blocks)) {
    const blockId = block.block_id ?? '';
    const actionId = String(element.action_id);
    known.add(`${blockId}/${actionId}`);
    if (block.type !== 'input' && values[blockId]?.[actionId] === undefined) continue;
    const given = values[blockId]?.[actionId];
    const type = typeof element.type === 'string' ? element.type : 'plain_text_input';
    const entry =
      given === undefined
        ? emptyActionState(type)
        : typeof given === 'string' || Array.isArray(given)
          ? actionStateFor(element, given)
          : given;
    state[blockId] = { ...state[blockId], [actionId]: entry };
  }
  for (const [blockId, actions] of Object.entries(values)) {
    for (const actionId of Object.keys(actions)) {
      if (!known.has(`${blockId}/${actionId}`)) {
        throw new Error(
          `View ${view.id} has no input ${blockId}/${actionId}; it has ${[...known].join(', ') || 'none'}`,
        );
      }
    }
  }
  return state;
}

async function readReply(response: Response): Promise<AppReply> {
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  if (isJson && text !== '') return { status: response.status, body: JSON.parse(text) as unknown };
  return { status: response.status, body: text };
}

/** A person in the local workspace acting on the app: sends real signed requests to the Bolt endpoint. */
export class SlackUserActions {
  eventsUrl: string | undefined;
  private readonly state: WorkspaceState;
  private readonly signingSecret: string;

  constructor(state: WorkspaceState, signingSecret: string) {
    this.state = state;
    this.signingSecret = signingSecret;
  }

  async sendSlashCommand(input: SlashCommandInput): Promise<SlashCommandReply> {
    const person = this.person(input.userId);
    const conversation = this.conversation(input.channelId);
    if (!input.command.startsWith('/'))
      throw new Error(`A slash command starts with "/": got ${input.command}`);
    if (!this.state.commands.includes(input.command))
      return this.undeclaredCommand(person, conversation, input);
    const responseUrl = this.state.issueResponseUrl({ userId: person.id, channelId: conversation.id });
    const triggerId = this.state.issueTrigger(person.id);
    const form = slashCommandForm(this.state, {
      person,
      conversation,
      command: input.command,
      text: input.text ?? '',
      responseUrl: responseUrl.url,
      triggerId,
    });
    const reply = await this.post(form.toString(), 'application/x-www-form-urlencoded');
    const result: SlashCommandReply = { ...reply, responseUrl: responseUrl.url, triggerId };
    const ackMessage = this.showAck(reply, { userId: person.id, channelId: conversation.id });
    if (ackMessage !== undefined) result.ackMessage = ackMessage;
    return result;
  }

  async clickButton(click: ButtonClick): Promise<ButtonClickReply> {
    const person = this.person(click.userId);
    if (click.viewId !== undefined) return this.clickViewButton(person, click.viewId, click);
    if (click.channelId === undefined)
      throw new Error('clickButton needs a channelId (with a messageTs) or a viewId');
    const conversation = this.conversation(click.channelId);
    const { message, button } = this.findMessageButton(person, conversation, click);
    const triggerId = this.state.issueTrigger(person.id);
    const responseUrl = this.state.issueResponseUrl({
      userId: person.id,
      channelId: conversation.id,
      source: { ts: message.ts, ephemeral: message.ephemeralTo !== undefined },
    });
    const payload = messageBlockActions(this.state, {
      person,
      conversation,
      message,
      button,
      triggerId,
      responseUrl: responseUrl.url,
    });
    const reply = await this.postPayload(payload);
    return { ...reply, triggerId, responseUrl: responseUrl.url };
  }

  async submitView(input: ViewSubmissionInput): Promise<ViewSubmissionReply> {
    const person = this.person(input.userId);
    const view = this.openModal(person.id, input.viewId);
    this.state.recordViewState(view.id, stateValuesFor(view, input.values ?? {}));
    const submitted = this.state.view(view.id) ?? view;
    const triggerId = this.state.issueTrigger(person.id);
    const reply = await this.postPayload(viewSubmission(this.state, { person, view: submitted, triggerId }));
    const result: ViewSubmissionReply = { ...reply, triggerId };
    if (reply.status !== 200) return result;
    const ack = isRecord(reply.body) ? reply.body : {};
    switch (ack.response_action) {
      case 'errors':
        result.errors = isRecord(ack.errors) ? (ack.errors as Record<string, string>) : {};
        return result;
      case 'clear':
        this.state.closeModal(person.id, view.id, { all: true });
        return result;
      case 'update':
      case 'push': {
        const checked = checkView(ack.view, 'modal');
        if (!checked.ok) {
          result.rejectedView = checked.messages.length > 0 ? checked.messages : [checked.error];
          return result;
        }
        if (ack.response_action === 'update') this.state.updateView(view.id, checked.view);
        else this.state.pushModal(person.id, checked.view);
        return result;
      }
      default:
        this.state.closeModal(person.id, view.id);
        return result;
    }
  }

  /** The person closes a modal (the X / Cancel button); the app hears of it only with notify_on_close. */
  async closeView(input: { userId: string; viewId: string }): Promise<ViewCloseReply> {
    const person = this.person(input.userId);
    const view = this.openModal(person.id, input.viewId);
    const cleared = view.definition.clearOnClose;
    this.state.closeModal(person.id, view.id, { all: cleared });
    if (!view.definition.notifyOnClose) return { notified: false };
    const reply = await this.postPayload(viewClosed(this.state, { person, view, cleared }));
    return { notified: true, reply };
  }

  /** The person opens the app's Home tab, which Slack reports as an app_home_opened event. */
  async openAppHome(userId: string): Promise<AppReply> {
    const person = this.person(userId);
    const { conversation } = this.state.openDirectMessage([person.id]);
    const home = this.state.homeView(person.id);
    const envelope = appHomeOpenedEnvelope(this.state, {
      userId: person.id,
      channelId: conversation.id,
      ...(home === undefined ? {} : { home }),
    });
    return this.post(JSON.stringify(envelope), 'application/json');
  }

  /** The person writes in a channel. No event reaches the app: billops subscribes to none for messages. */
  postMessageAs(input: PersonMessageInput): StoredMessage {
    const person = this.person(input.userId);
    const conversation = this.conversation(input.channelId);
    return this.state.postMessage({
      channel: conversation.id,
      user: person.id,
      text: input.text,
      ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
      via: 'person',
    });
  }

  private async clickViewButton(
    person: WorkspaceUser,
    viewId: string,
    click: ButtonClick,
  ): Promise<ButtonClickReply> {
    const view = this.state.view(viewId);
    if (view?.userId !== person.id) throw new Error(`${person.id} has no open view ${viewId}`);
    const found = findButton(view.definition.blocks, click.actionId, click.blockId);
    if (found === undefined) {
      throw new Error(
        `View ${viewId} has no button ${click.actionId}; it has ${describeButtons(view.definition.blocks)}`,
      );
    }
    const button = click.value === undefined ? found : { ...found, value: click.value };
    const triggerId = this.state.issueTrigger(person.id);
    const reply = await this.postPayload(viewBlockActions(this.state, { person, view, button, triggerId }));
    return { ...reply, triggerId };
  }

  private findMessageButton(
    person: WorkspaceUser,
    conversation: Conversation,
    click: ButtonClick,
  ): { message: StoredMessage; button: ClickedButton } {
    const visible = [
      ...this.state.history(conversation.id),
      ...this.state.ephemerals(person.id).filter((message) => message.channel === conversation.id),
    ].sort((a, b) => Number(b.ts) - Number(a.ts));
    const candidates =
      click.messageTs === undefined ? visible : visible.filter((message) => message.ts === click.messageTs);
    if (candidates.length === 0) {
      throw new Error(`No message ${click.messageTs ?? ''} in ${conversation.id} that ${person.id} can see`);
    }
    for (const message of candidates) {
      const found = findButton(message.blocks, click.actionId, click.blockId);
      if (found !== undefined) {
        return { message, button: click.value === undefined ? found : { ...found, value: click.value } };
      }
    }
    const where =
      candidates.length === 1 && candidates[0] !== undefined ? describeButtons(candidates[0].blocks) : '';
    throw new Error(
      `No button ${click.actionId} in ${conversation.id} ${click.messageTs ?? '(any message)'} ${where}`,
    );
  }

  /**
   * Slack sends an app only the commands its manifest declares; any other is answered by Slackbot, to
   * the person alone, and no app hears of it (the text below is Slack's own).
   */
  private undeclaredCommand(
    person: WorkspaceUser,
    conversation: Conversation,
    input: SlashCommandInput,
  ): SlashCommandReply {
    const undeclared = this.state.postEphemeral({
      channel: conversation.id,
      user: 'USLACKBOT',
      to: person.id,
      text: `${input.command} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands. If you are trying to send a message and not run a command, try preceding the "/" with an empty space.`,
      via: 'person',
    });
    return { status: 0, body: '', responseUrl: '', triggerId: '', undeclared };
  }

  private showAck(reply: AppReply, target: { userId: string; channelId: string }): StoredMessage | undefined {
    if (reply.status !== 200 || reply.body === '') return undefined;
    const body = typeof reply.body === 'string' ? { text: reply.body } : reply.body;
    if (!isRecord(body) || (body.text === undefined && body.blocks === undefined)) return undefined;
    return deliverResponseMessage(this.state, target, body, 'command_ack').message;
  }

  private person(userId: string): WorkspaceUser {
    const person = this.state.user(userId);
    if (person === undefined || person.isBot) throw new Error(`No person ${userId} in the local workspace`);
    return person;
  }

  private conversation(ref: string): Conversation {
    const conversation = conversationForPosting(this.state, ref);
    if (conversation === undefined) throw new Error(`No channel ${ref} in the local workspace`);
    return conversation;
  }

  private openModal(userId: string, viewId: string): StoredView {
    const view = this.state.openViews(userId).find((candidate) => candidate.id === viewId);
    if (view === undefined) {
      const open = this.state.openViews(userId).map((candidate) => candidate.id);
      throw new Error(`${userId} has no open modal ${viewId}; open: ${open.join(', ') || 'none'}`);
    }
    return view;
  }

  private postPayload(payload: Record<string, unknown>): Promise<AppReply> {
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  private async post(rawBody: string, contentType: string): Promise<AppReply> {
    if (this.eventsUrl === undefined) throw new Error('Call setEventsUrl(...) with the app endpoint first');
    // NOTE: Bolt checks signatures against the real clock, so sign with Date.now(), not the workspace clock.
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(this.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...slackSignatureHeaders(this.signingSecret, rawBody, timestamp),
      },
      body: rawBody,
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    return readReply(response);
  }
}
