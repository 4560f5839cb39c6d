import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLocalSlackServer, type LocalSlackLogger } from './http-server.ts';
import {
  SlackUserActions,
  type AppReply,
  type ButtonClick,
  type ButtonClickReply,
  type PersonMessageInput,
  type SlashCommandInput,
  type SlashCommandReply,
  type ViewCloseReply,
  type ViewSubmissionInput,
  type ViewSubmissionReply,
} from './user-actions.ts';
import { FailurePlan, type InjectedFailure } from './web-api.ts';
import { ChannelPostingLimit, slackPostingLimit, type PostingLimitOptions } from './posting-limit.ts';
import { defaultWorkspaceSeed, type WorkspaceSeed } from './workspace-seed.ts';
import {
  WorkspaceState,
  type ApiCall,
  type ResponsePost,
  type StoredFile,
  type StoredMessage,
  type StoredView,
  type Thread,
  type WorkspaceChange,
} from './workspace-state.ts';

export interface LocalSlackOptions {
  signingSecret: string;
  botToken: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  seed?: Partial<WorkspaceSeed>;
  logger?: LocalSlackLogger;
  /** The workspace clock in ms (trigger and response_url expiry, message ts); tests move it instead of waiting. */
  now?: () => number;
  /** chat.postMessage's pace per channel (default Slack's: 1 a second, bursts of 20). */
  postingLimit?: PostingLimitOptions;
}

/** A running local Slack workspace: its Web API for the app, and people who act on the app. */
export class LocalSlack {
  /** Web API base for `clientOptions.slackApiUrl`; ends with `/api/`. */
  readonly apiUrl: string;

  readonly workspace: WorkspaceState;
  private readonly people: SlackUserActions;
  private readonly failures: FailurePlan;
  private readonly server: Server;

  constructor(workspace: WorkspaceState, failures: FailurePlan, server: Server, signingSecret: string) {
    this.workspace = workspace;
    this.failures = failures;
    this.server = server;
    this.apiUrl = `${workspace.baseUrl}/api/`;
    this.people = new SlackUserActions(workspace, signingSecret);
  }

  get baseUrl(): string {
    return this.workspace.baseUrl;
  }

  get eventsUrl(): string | undefined {
    return this.people.eventsUrl;
  }

  /** Where Slack sends commands, interactions and events: the app's Bolt endpoint, known once it listens. */
  setEventsUrl(url: string): void {
    this.people.eventsUrl = url;
  }

  /** Listens to every change of the workspace; returns a function that stops listening. */
  onChange(listener: (change: WorkspaceChange) => void): () => void {
    this.workspace.on('change', listener);
    return () => this.workspace.off('change', listener);
  }

  /** Makes the next `times` calls of `method` fail (after auth) with a Slack error or an HTTP 429. */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    this.failures.add(method, failure, times);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  /** `/invite @someone` (or the bot) in a channel; false when they were in it already. */
  invite(channel: string, userId: string): boolean {
    return this.workspace.invite(channel, userId);
  }

  /** Removes someone (or the bot) from a channel; false when they were not in it. */
  removeFromChannel(channel: string, userId: string): boolean {
    return this.workspace.removeFromChannel(channel, userId);
  }

  // ---- readers ----

  messages(channel: string, options: { threadTs?: string } = {}): StoredMessage[] {
    return this.workspace.messages(channel, options);
  }

  threadOf(channel: string, ts: string): Thread | undefined {
    return this.workspace.threadOf(channel, ts);
  }

  ephemerals(userId: string): StoredMessage[] {
    return this.workspace.ephemerals(userId);
  }

  openViews(userId: string): StoredView[] {
    return this.workspace.openViews(userId);
  }

  homeView(userId: string): StoredView | undefined {
    return this.workspace.homeView(userId);
  }

  file(fileId: string): StoredFile | undefined {
    return this.workspace.file(fileId);
  }

  calls(method?: string): ApiCall[] {
    return this.workspace.calls(method);
  }

  responses(responseUrlId?: string): ResponsePost[] {
    return this.workspace.responses(responseUrlId);
  }

  // ---- people acting on the app ----

  sendSlashCommand(input: SlashCommandInput): Promise<SlashCommandReply> {
    return this.people.sendSlashCommand(input);
  }

  clickButton(click: ButtonClick): Promise<ButtonClickReply> {
    return this.people.clickButton(click);
  }

  submitView(input: ViewSubmissionInput): Promise<ViewSubmissionReply> {
    return this.people.submitView(input);
  }

  closeView(input: { userId: string; viewId: string }): Promise<ViewCloseReply> {
    return this.people.closeView(input);
  }

  openAppHome(userId: string): Promise<AppReply> {
    return this.people.openAppHome(userId);
  }

  postMessageAs(input: PersonMessageInput): StoredMessage {
    return this.people.postMessageAs(input);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => {
        if (error === undefined) resolve();
        else reject(error);
      });
    });
  }
}

/** Starts the local Slack on 127.0.0.1 (a free port unless one is given) with the billops workspace. */
export async function startLocalSlack(options: LocalSlackOptions): Promise<LocalSlack> {
  const seed: WorkspaceSeed = { ...defaultWorkspaceSeed, ...options.seed };
  const workspace = new WorkspaceState(seed, options.now ?? Date.now);
  const failures = new FailurePlan();
  const server = createLocalSlackServer({
    state: workspace,
    failures,
    botToken: options.botToken,
    postingLimit: new ChannelPostingLimit(options.postingLimit ?? slackPostingLimit),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  workspace.baseUrl = `http://${host}:${port}`;
  return new LocalSlack(workspace, failures, server, options.signingSecret);
}
