import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';

// Slack answers a post to a channel billops was never invited to with not_in_channel, to a private
// channel it is not in (or a mistyped id) with channel_not_found, and to an archived one with
// is_archived (docs.slack.dev/reference/methods/chat.postMessage, errors). A job retries the post, so
// without care the team would hear nothing, or the same complaint at every retry.

const REASONS = ['not_in_channel', 'channel_not_found', 'is_archived'] as const;
export type UnreachableReason = (typeof REASONS)[number];

/** The Slack error code of a refused Web API call, when it says billops cannot reach the channel. */
export function unreachableReason(error: unknown): UnreachableReason | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  const code = typeof data?.error === 'string' ? data.error : undefined;
  return REASONS.find((reason) => reason === code);
}

/** What the team must do, in Slack's words. */
export function howToReach(channel: string, reason: UnreachableReason): string {
  const where = `<#${channel}>`;
  switch (reason) {
    case 'not_in_channel':
      return `billops cannot post in ${where}: it is not in the channel. Type \`/invite @billops\` in ${where}; what it could not post there is tried again and lands once it is in.`;
    case 'channel_not_found':
      return `billops cannot find channel ${channel}. If it is a private channel, type \`/invite @billops\` in it; otherwise check the channels in billing.yml (\`slack:\`). What it could not post there is tried again.`;
    case 'is_archived':
      return `${where} is archived, so billops cannot post there: unarchive it, or name another channel in billing.yml (\`slack:\`).`;
  }
}

/** A post refused because billops cannot reach the channel; the team has been told how to fix it. */
export class SlackChannelUnreachable extends Error {
  readonly channel: string;
  readonly reason: UnreachableReason;

  constructor(channel: string, reason: UnreachableReason) {
    super(howToReach(channel, reason));
    this.name = 'SlackChannelUnreachable';
    this.channel = channel;
    this.reason = reason;
  }
}

/**
 * Tells the team once per channel problem (across instances: a row per channel), and forgets it when a
 * post there succeeds again, so a later problem is told anew.
 */
export class UnreachableChannels {
  private readonly db: Db;
  private readonly logger: Logger;
  /** Channels this process saw refused: only they need a row cleared on the next success. */
  private readonly seen = new Set<string>();

  constructor(db: Db, logger: Logger) {
    this.db = db;
    this.logger = logger;
  }

  /** Records the problem; `tell` runs only for the first report of it. */
  async refused(
    channel: string,
    reason: UnreachableReason,
    tell: (text: string) => Promise<void>,
  ): Promise<void> {
    this.seen.add(channel);
    const inserted = await this.db
      .insertInto('slack_channel_problems')
      .values({ channel, reason })
      .onConflict((conflict) => conflict.column('channel').doNothing())
      .returning('channel')
      .executeTakeFirst();
    if (inserted === undefined) return;
    const text = howToReach(channel, reason);
    this.logger.error({ channel, reason }, text);
    await tell(text).catch((error: unknown) => {
      this.logger.error(
        { err: error, channel },
        'Could not tell the team that a Slack channel is unreachable',
      );
    });
  }

  async reached(channel: string): Promise<void> {
    if (!this.seen.delete(channel)) return;
    await this.db.deleteFrom('slack_channel_problems').where('channel', '=', channel).execute();
  }
}
