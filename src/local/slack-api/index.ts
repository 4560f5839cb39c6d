export { startLocalSlack, LocalSlack, type LocalSlackOptions } from './local-slack.ts';
export { signSlackRequest, slackSignatureHeaders } from './signing.ts';
export { defaultWorkspaceSeed, type WorkspaceSeed } from './workspace-seed.ts';
export { supportedMethods, type InjectedFailure } from './web-api.ts';
export type { LocalSlackLogger } from './http-server.ts';
export type {
  AppReply,
  ButtonClick,
  ButtonClickReply,
  SlashCommandInput,
  SlashCommandReply,
  SubmittedValues,
  ViewCloseReply,
  ViewSubmissionInput,
  ViewSubmissionReply,
} from './user-actions.ts';
export type {
  ApiCall,
  Conversation,
  ResponsePost,
  StoredFile,
  StoredMessage,
  StoredView,
  Thread,
  WorkspaceChange,
  WorkspaceState,
  WorkspaceUser,
} from './workspace-state.ts';
export type { SlackBlock, StateValues, ActionState, TextObject } from './block-kit.ts';
