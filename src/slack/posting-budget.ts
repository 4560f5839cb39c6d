// NOTE: Slack takes about one chat.postMessage a second per channel, with short bursts allowed
// (api.slack.com/docs/rate-limits, "Posting messages"). The budget lets a burst through (a run's cards)
// and holds the sustained rate to one a second per channel, so billops waits instead of collecting 429s.
// It counts this process's posts only; several instances share Slack's allowance (see issue 21).

export interface PostingBudgetOptions {
  /** Posts a quiet channel takes at once. */
  burst: number;
  /** Sustained posts per second per channel. */
  perSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Posts wait in line per channel, so a burst is spread in the order it came. */
  line: Promise<void>;
}

/** A token bucket per channel: `take(channel)` resolves when a post to it is within budget. */
export class ChannelPostingBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  private readonly options: PostingBudgetOptions;

  constructor(options: PostingBudgetOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  take(channel: string): Promise<void> {
    const bucket = this.buckets.get(channel) ?? {
      tokens: this.options.burst,
      at: this.now(),
      line: Promise.resolve(),
    };
    this.buckets.set(channel, bucket);
    const turn = bucket.line.then(() => this.spend(channel, bucket));
    bucket.line = turn;
    return turn;
  }

  private async spend(channel: string, bucket: Bucket): Promise<void> {
    this.refill(bucket);
    if (bucket.tokens < 1) {
      await this.sleep(((1 - bucket.tokens) / this.options.perSecond) * 1000);
      this.refill(bucket);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    // A channel back at its full burst costs nothing to forget (as long as nobody is waiting).
    if (bucket.tokens >= this.options.burst - 1 && this.buckets.size > 1000) this.buckets.delete(channel);
  }

  private refill(bucket: Bucket): void {
    const now = this.now();
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond,
    );
    bucket.at = now;
  }
}
