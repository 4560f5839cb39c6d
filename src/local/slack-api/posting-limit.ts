// NOTE: docs.slack.dev/apis/web-api/rate-limits, "Posting messages": chat.postMessage allows about one
// message per second per channel, with short bursts over it; past that Slack answers HTTP 429 with a
// Retry-After header (seconds). Slack does not publish the burst size; the local Slack takes 20, which
// tests lower to see the 429s. A token bucket per channel, on the workspace clock.

export interface PostingLimitOptions {
  /** Posts a quiet channel takes at once. */
  burst: number;
  /** Sustained posts per second per channel. */
  perSecond: number;
}

export const slackPostingLimit: PostingLimitOptions = { burst: 20, perSecond: 1 };

export type PostingAdmission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export class ChannelPostingLimit {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly options: PostingLimitOptions;

  constructor(options: PostingLimitOptions) {
    this.options = options;
  }

  admit(channel: string, nowMs: number): PostingAdmission {
    const { burst, perSecond } = this.options;
    const bucket = this.buckets.get(channel) ?? { tokens: burst, atMs: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * perSecond);
    bucket.atMs = nowMs;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { admitted: true };
    }
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }
}
