import type { Block, KnownBlock } from '@slack/types';

// The Slack port (STYLE rule 9): how use cases and jobs post, update and alert. Only its adapter
// (src/slack/slack-notifier.ts) holds the Web API client; listeners answer with Bolt's own client.

/** What a message says: `text` is the notification and screen-reader fallback of `blocks`. */
export interface SlackContent {
  text: string;
  blocks?: (KnownBlock | Block)[];
}

/** A channel, or a thread in it (Slack's own field names, so places read from rows spread in). */
export interface SlackPlace {
  channel: string;
  thread_ts?: string;
}

export interface SlackPost extends SlackPlace, SlackContent {
  /** Off for run summaries, whose links are to the workspace itself. */
  unfurl_links?: boolean;
}

/** Where a message landed: its channel id (a name is resolved) and its timestamp. */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/** A file posted into a thread (billops posts PDFs where the invoice's news goes). */
export interface SlackFile {
  channel: string;
  thread_ts: string;
  filename: string;
  content: Buffer;
  title: string;
  /** The message the file is posted with. */
  comment: string;
}

export interface SlackNotifier {
  /** Posts in a channel or a thread, within that channel's posting budget. */
  post(message: SlackPost): Promise<PostedMessage>;
  /** Posts in the alerts channel (billing.yml `slack.alerts_channel`). */
  alert(message: SlackContent): Promise<PostedMessage>;
  /** Rewrites a message in place (a card after a decision, a run summary as it moves). */
  update(message: SlackContent & { channel: string; ts: string }): Promise<void>;
  /** Uploads a file into a channel or thread; returns the file's id, or undefined when Slack gave none. */
  upload(file: SlackFile): Promise<string | undefined>;
  /**
   * Answers a slash command later, only to the person who typed it, through its `response_url`
   * (valid for 30 minutes, 5 answers).
   */
  respond(responseUrl: string, message: SlackContent): Promise<void>;
  /** The members of a Slack user group (approvers may be one). */
  userGroupMembers(group: string): Promise<string[]>;
}
