import type { FilesCompleteUploadExternalResponse, WebClient } from '@slack/web-api';
import type { PostedMessage, SlackNotifier, SlackPost } from '../ports/slack-notifier.ts';
import { shortenToFit, splitToFit } from '../../blocks/fit-message.ts';
import type { ChannelPostingBudget } from './posting-budget.ts';
import {
  SlackChannelUnreachable,
  unreachableReason,
  type UnreachableChannels,
} from './unreachable-channels.ts';

export interface SlackNotifierOptions {
  /** billing.yml `slack.alerts_channel`. */
  alertsChannel: string;
  /** Paces posts per channel; none for a Slack API that sets no limit (the local one). */
  budget?: ChannelPostingBudget;
  /** Channels billops cannot reach: the team is told once how to fix each. */
  unreachable?: UnreachableChannels;
}

// NOTE: Slack documents ~1 chat.postMessage a second per channel with short bursts allowed, but no burst
// size. A run's first cards go at once; beyond the burst, posts to that channel wait their turn, one a
// second, instead of drawing 429s that pause every call the Web API client makes.
export const SLACK_POSTING_BUDGET = { burst: 20, perSecond: 1 };

/**
 * The SlackNotifier port over the Web API client. SDK errors are thrown; a channel billops cannot reach
 * (not invited, private, archived) is thrown as SlackChannelUnreachable, after the team was told once
 * how to fix it: in the alerts channel, or, when that is the channel, in the log.
 */
export function createSlackNotifier(client: WebClient, options: SlackNotifierOptions): SlackNotifier {
  const { budget, unreachable } = options;
  const reaching = async <T>(channel: string, call: () => Promise<T>): Promise<T> => {
    try {
      const answer = await call();
      await unreachable?.reached(channel);
      return answer;
    } catch (error) {
      const reason = unreachableReason(error);
      if (reason === undefined) throw error;
      await unreachable?.refused(channel, reason, async (text) => {
        if (channel !== options.alertsChannel) await notifier.alert({ text: `:warning: ${text}` });
      });
      throw new SlackChannelUnreachable(channel, reason);
    }
  };
  const postOne = async (message: SlackPost): Promise<PostedMessage> => {
    const { thread_ts: threadTs, ...rest } = message;
    await budget?.take(message.channel);
    const posted = await reaching(message.channel, () =>
      client.chat.postMessage(threadTs === undefined ? rest : { ...rest, thread_ts: threadTs }),
    );
    return landed(posted, message.channel);
  };
  const notifier: SlackNotifier = {
    // NOTE: blocks whose text together is over Slack's limit (msg_blocks_too_long) go as several
    // messages: the first where asked, the rest as replies in its thread, in order.
    async post(message) {
      const [first, ...more] = splitToFit(message.blocks ?? []);
      if (first === undefined || more.length === 0) return postOne(message);
      const posted = await postOne({ ...message, blocks: first });
      const thread = message.thread_ts ?? posted.ts;
      for (const blocks of more) {
        await postOne({
          channel: posted.channel,
          thread_ts: thread,
          text: `${message.text} (continued)`,
          blocks,
        });
      }
      return posted;
    },
    alert: (message) => notifier.post({ channel: options.alertsChannel, ...message }),
    async update(message) {
      const blocks =
        message.blocks === undefined
          ? undefined
          : shortenToFit(message.blocks, 'the whole of it is in billops (Details, or /invoice show).');
      await reaching(message.channel, () =>
        client.chat.update(blocks === undefined ? message : { ...message, blocks }),
      );
    },
    async upload(file) {
      await budget?.take(file.channel);
      const uploaded = await reaching(file.channel, () =>
        client.files.uploadV2({
          channel_id: file.channel,
          thread_ts: file.thread_ts,
          filename: file.filename,
          file: file.content,
          title: file.title,
          initial_comment: file.comment,
        }),
      );
      // NOTE: uploadV2 answers one completeUploadExternal result per file, typed loosely by the SDK.
      const results = (uploaded as { files?: FilesCompleteUploadExternalResponse[] }).files ?? [];
      return results.flatMap((result) => result.files ?? []).at(0)?.id;
    },
    async respond(responseUrl, message) {
      const response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`Slack refused the command's answer: HTTP ${response.status}`);
    },
    async userGroupMembers(group) {
      const answer = await client.usergroups.users.list({ usergroup: group });
      return answer.users ?? [];
    },
  };
  return notifier;
}

function landed(posted: { channel?: string; ts?: string }, channel: string): PostedMessage {
  if (posted.ts === undefined) throw new Error(`Slack accepted a message for ${channel} without its ts`);
  return { channel: posted.channel ?? channel, ts: posted.ts };
}
