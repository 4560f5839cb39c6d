import type { ActionState } from './block-kit.ts';
import { wireMessage, wireView } from './wire-shapes.ts';
import type {
  Conversation,
  StoredMessage,
  StoredView,
  WorkspaceState,
  WorkspaceUser,
} from './workspace-state.ts';

/** Slack's legacy verification token, still present in every payload; Bolt ignores it. */
export const verificationToken = 'local-verification-token';

function payloadUser(state: WorkspaceState, person: WorkspaceUser): Record<string, unknown> {
  return { id: person.id, username: person.name, name: person.name, team_id: state.team.id };
}

function payloadTeam(state: WorkspaceState): Record<string, unknown> {
  return { id: state.team.id, domain: state.team.domain };
}

function nowTs(state: WorkspaceState): string {
  return (state.nowMs() / 1000).toFixed(6);
}

export function slashCommandForm(
  state: WorkspaceState,
  input: {
    person: WorkspaceUser;
    conversation: Conversation;
    command: string;
    text: string;
    responseUrl: string;
    triggerId: string;
  },
): URLSearchParams {
  return new URLSearchParams({
    token: verificationToken,
    team_id: state.team.id,
    team_domain: state.team.domain,
    channel_id: input.conversation.id,
    channel_name: input.conversation.kind === 'im' ? 'directmessage' : input.conversation.name,
    user_id: input.person.id,
    user_name: input.person.name,
    command: input.command,
    text: input.text,
    api_app_id: state.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  });
}

export interface ClickedButton {
  blockId: string;
  actionId: string;
  element: Record<string, unknown>;
  value?: string;
}

function buttonAction(state: WorkspaceState, button: ClickedButton): Record<string, unknown> {
  const action: Record<string, unknown> = {
    action_id: button.actionId,
    block_id: button.blockId,
    text: button.element.text,
    type: 'button',
    action_ts: nowTs(state),
  };
  const value = button.value ?? button.element.value;
  if (value !== undefined) action.value = value;
  if (button.element.style !== undefined) action.style = button.element.style;
  return action;
}

export function messageBlockActions(
  state: WorkspaceState,
  input: {
    person: WorkspaceUser;
    conversation: Conversation;
    message: StoredMessage;
    button: ClickedButton;
    triggerId: string;
    responseUrl: string;
  },
): Record<string, unknown> {
  const ephemeral = input.message.ephemeralTo !== undefined;
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: payloadUser(state, input.person),
    api_app_id: state.appId,
    token: verificationToken,
    container: {
      type: 'message',
      message_ts: input.message.ts,
      channel_id: input.conversation.id,
      is_ephemeral: ephemeral,
      ...(input.message.threadTs === undefined ? {} : { thread_ts: input.message.threadTs }),
    },
    trigger_id: input.triggerId,
    team: payloadTeam(state),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.conversation.id, name: input.conversation.name },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [buttonAction(state, input.button)],
  };
  // NOTE: Slack leaves `message` out of payloads from ephemeral messages.
  if (!ephemeral) payload.message = wireMessage(state, input.message);
  return payload;
}

export function viewBlockActions(
  state: WorkspaceState,
  input: { person: WorkspaceUser; view: StoredView; button: ClickedButton; triggerId: string },
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: payloadUser(state, input.person),
    api_app_id: state.appId,
    token: verificationToken,
    container: { type: 'view', view_id: input.view.id },
    trigger_id: input.triggerId,
    team: payloadTeam(state),
    enterprise: null,
    is_enterprise_install: false,
    view: wireView(state, input.view),
    state: input.view.state,
    actions: [buttonAction(state, input.button)],
  };
}

export function viewSubmission(
  state: WorkspaceState,
  input: { person: WorkspaceUser; view: StoredView; triggerId: string },
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: payloadTeam(state),
    user: payloadUser(state, input.person),
    api_app_id: state.appId,
    token: verificationToken,
    trigger_id: input.triggerId,
    view: wireView(state, input.view),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosed(
  state: WorkspaceState,
  input: { person: WorkspaceUser; view: StoredView; cleared: boolean },
): Record<string, unknown> {
  return {
    type: 'view_closed',
    team: payloadTeam(state),
    user: payloadUser(state, input.person),
    api_app_id: state.appId,
    token: verificationToken,
    view: wireView(state, input.view),
    is_cleared: input.cleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function appHomeOpenedEnvelope(
  state: WorkspaceState,
  input: { userId: string; channelId: string; home?: StoredView },
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    type: 'app_home_opened',
    user: input.userId,
    channel: input.channelId,
    tab: 'home',
    event_ts: nowTs(state),
  };
  if (input.home !== undefined) event.view = wireView(state, input.home);
  return {
    token: verificationToken,
    team_id: state.team.id,
    context_team_id: state.team.id,
    context_enterprise_id: null,
    api_app_id: state.appId,
    event,
    type: 'event_callback',
    event_id: state.ids.id('Ev'),
    event_time: Math.floor(state.nowMs() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: state.team.id,
        user_id: state.bot.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** The entry Slack puts in `state.values` for an input left empty. */
export function emptyActionState(elementType: string): ActionState {
  switch (elementType) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type: elementType, selected_option: null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type: elementType, selected_options: [] };
    case 'users_select':
      return { type: elementType, selected_user: null };
    case 'multi_users_select':
      return { type: elementType, selected_users: [] };
    case 'conversations_select':
      return { type: elementType, selected_conversation: null };
    case 'channels_select':
      return { type: elementType, selected_channel: null };
    case 'datepicker':
      return { type: elementType, selected_date: null };
    case 'timepicker':
      return { type: elementType, selected_time: null };
    default:
      return { type: elementType, value: null };
  }
}
