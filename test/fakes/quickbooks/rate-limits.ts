// NOTE: QBO throttles per realm: 500 requests a minute and 10 a second (FACTS Part B §3.3;
// developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles), and batch
// calls also count against 40 batch requests a minute per realm and app. Over a limit it answers 429.
// Sliding windows over an injectable clock, so tests can cross a limit without waiting.

export interface RateLimits {
  perSecond: number;
  perMinute: number;
  batchPerMinute: number;
}

export const quickBooksRateLimits: RateLimits = { perSecond: 10, perMinute: 500, batchPerMinute: 40 };
// NOTE: developer.intuit.com/hub/blog/2016/08/08/idg-concurrent-api-use-changes-coming-soon: at most 10
// requests in flight per realm and app; the 11th concurrent one gets 429.
export const quickBooksConcurrentLimit = 10;

export type Admission =
  { admitted: true } | { admitted: false; limit: 'second' | 'minute' | 'batch'; retryAfterSeconds: number };

interface RealmWindow {
  requests: number[];
  batches: number[];
}

const secondMs = 1_000;
const minuteMs = 60_000;

function retryAfter(oldestMs: number, windowMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((oldestMs + windowMs - nowMs) / 1_000));
}

/** Admits or refuses one request for a realm; refused requests do not count against the windows. */
export class RequestWindows {
  private readonly realms = new Map<string, RealmWindow>();

  private readonly limits: RateLimits;

  constructor(limits: RateLimits) {
    this.limits = limits;
  }

  admit(realmId: string, nowMs: number, batch: boolean): Admission {
    const window = this.realms.get(realmId) ?? { requests: [], batches: [] };
    this.realms.set(realmId, window);
    window.requests = window.requests.filter((at) => at > nowMs - minuteMs);
    window.batches = window.batches.filter((at) => at > nowMs - minuteMs);

    const lastSecond = window.requests.filter((at) => at > nowMs - secondMs);
    const oldestInSecond = lastSecond[lastSecond.length - this.limits.perSecond];
    if (lastSecond.length >= this.limits.perSecond && oldestInSecond !== undefined) {
      return {
        admitted: false,
        limit: 'second',
        retryAfterSeconds: retryAfter(oldestInSecond, secondMs, nowMs),
      };
    }
    const oldestInMinute = window.requests[window.requests.length - this.limits.perMinute];
    if (window.requests.length >= this.limits.perMinute && oldestInMinute !== undefined) {
      return {
        admitted: false,
        limit: 'minute',
        retryAfterSeconds: retryAfter(oldestInMinute, minuteMs, nowMs),
      };
    }
    const oldestBatch = window.batches[window.batches.length - this.limits.batchPerMinute];
    if (batch && window.batches.length >= this.limits.batchPerMinute && oldestBatch !== undefined) {
      return { admitted: false, limit: 'batch', retryAfterSeconds: retryAfter(oldestBatch, minuteMs, nowMs) };
    }
    window.requests.push(nowMs);
    if (batch) window.batches.push(nowMs);
    return { admitted: true };
  }

  reset(): void {
    this.realms.clear();
  }
}
