// NOTE: Xero's per-tenant limits (developer.xero.com/faq/limits): 5 calls in flight, 60 calls in any
// rolling minute, 5,000 in any rolling 24 hours; over a limit → 429 with Retry-After and X-Rate-Limit-Problem.

export interface XeroLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
}

export const xeroLimits: XeroLimits = { perMinute: 60, perDay: 5000, concurrent: 5 };

export type RateLimitProblem = 'minute' | 'day' | 'concurrent';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface Remaining {
  minute: number;
  day: number;
}

export type Admission =
  | { admitted: true; remaining: Remaining; release: () => void }
  | { admitted: false; problem: RateLimitProblem; retryAfterSeconds: number; remaining: Remaining };

/** One tenant's call budget; calls refused with a 429 do not count against it. */
export class TenantRateLimiter {
  private readonly limits: XeroLimits;
  /** Start times (ms) of admitted calls within the last 24 hours, oldest first. */
  private readonly started: number[] = [];
  private inFlight = 0;

  constructor(limits: XeroLimits) {
    this.limits = limits;
  }

  private forget(nowMs: number): void {
    while (this.started.length > 0 && (this.started[0] ?? nowMs) <= nowMs - DAY_MS) this.started.shift();
  }

  private callsSince(sinceMs: number): number {
    let count = 0;
    for (let index = this.started.length - 1; index >= 0; index -= 1) {
      if ((this.started[index] ?? 0) <= sinceMs) break;
      count += 1;
    }
    return count;
  }

  private remaining(nowMs: number): Remaining {
    return {
      minute: Math.max(0, this.limits.perMinute - this.callsSince(nowMs - MINUTE_MS)),
      day: Math.max(0, this.limits.perDay - this.started.length),
    };
  }

  /** Seconds until the oldest call inside the window leaves it, so one more fits. */
  private waitFor(windowMs: number, limit: number, nowMs: number): number {
    const oldestBlocking = this.started[this.started.length - limit] ?? nowMs;
    return Math.max(1, Math.ceil((oldestBlocking + windowMs - nowMs) / 1000));
  }

  admit(nowMs: number): Admission {
    this.forget(nowMs);
    const remaining = this.remaining(nowMs);
    if (remaining.day <= 0) {
      const retryAfterSeconds = this.waitFor(DAY_MS, this.limits.perDay, nowMs);
      return { admitted: false, problem: 'day', retryAfterSeconds, remaining };
    }
    if (remaining.minute <= 0) {
      const retryAfterSeconds = this.waitFor(MINUTE_MS, this.limits.perMinute, nowMs);
      return { admitted: false, problem: 'minute', retryAfterSeconds, remaining };
    }
    if (this.inFlight >= this.limits.concurrent) {
      return { admitted: false, problem: 'concurrent', retryAfterSeconds: 1, remaining };
    }
    this.started.push(nowMs);
    this.inFlight += 1;
    let released = false;
    return {
      admitted: true,
      remaining: { minute: remaining.minute - 1, day: remaining.day - 1 },
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
      },
    };
  }
}
