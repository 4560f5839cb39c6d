// A client-side, per-tenant budget of ERP calls: billops waits its turn instead of earning 429s.
// Sliding windows like the vendors' (and the local servers' limiters in src/local): a call counts in a
// window while its start is less than one window ago, so admitting exactly `perMinute` calls in any
// rolling minute is allowed and the next one waits until the oldest leaves the window.

export interface BudgetLimits {
  perSecond?: number;
  perMinute: number;
  perDay?: number;
  /** Operations in flight at once. */
  concurrent?: number;
}

// NOTE: developer.xero.com/faq/limits: 60 calls in any rolling minute, 5,000 in any rolling 24 hours,
// 5 in flight, per organisation.
export const XERO_BUDGET: BudgetLimits = { perMinute: 60, perDay: 5000, concurrent: 5 };
// NOTE: QBO throttles per realm at 500 requests a minute and 10 a second
// (developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles), and 10 in flight per realm
// and app (developer.intuit.com/hub/blog/2016/08/08/idg-concurrent-api-use-changes-coming-soon); the
// local QuickBooks the tests use (test/fakes/quickbooks) enforces all three.
export const QUICKBOOKS_BUDGET: BudgetLimits = { perSecond: 10, perMinute: 500, concurrent: 10 };

/** Time source and sleeper; a bench passes a scaled clock (1 budget-minute = 1 real second). */
export interface BudgetClock {
  /** Milliseconds; must never go backwards. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realBudgetClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      // NOTE: setTimeout fires at once for delays over 2^31-1 ms; waking early just sleeps again.
      setTimeout(resolve, Math.min(ms, 2 ** 31 - 1));
    }),
};

/**
 * Time that runs `factor` times faster than the wall clock, from now: with 60, one budget-minute
 * passes in one real second. For benches and tests that must see minute windows without waiting them.
 */
export function scaledBudgetClock(factor: number): BudgetClock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * factor,
    sleep: (ms) => realBudgetClock.sleep(ms / factor),
  };
}

export type Admission = { ok: true; release: () => void } | { ok: false; problem: 'day'; untilMs: number };

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * 60_000;

interface Waiter {
  calls: number;
  resolve: (admission: Admission) => void;
  reject: (error: unknown) => void;
}

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new RangeError(`budget limit ${name} must be a positive whole number (got ${value})`);
  }
}

/**
 * One tenant's budget. Share one instance between everything that calls that tenant's ERP.
 *
 * NOTE: the vendor stamps a call when the request reaches it, which is somewhere between our admission
 * and the answer. So a call counts in every window from admission until it is released, then stays
 * in the windows as if it had started at its release: network delay can never make the vendor count
 * a call later than we do. When release() comes at once (fake clocks) this is exactly the start time.
 */
export class CallBudget {
  readonly clock: BudgetClock;
  private readonly limits: BudgetLimits;
  /** Window stamps of finished calls, oldest first; none older than the longest window. */
  private readonly finished: number[] = [];
  /** Calls admitted and not yet released: they count in every window. */
  private callsInFlight = 0;
  /** Operations in flight, against `concurrent` (one operation may be several sequential calls). */
  private operationsInFlight = 0;
  private heldUntilMs = 0;
  private dayOverUntilMs = 0;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  /** Wakes the pump when it waits for a release (or when the queue was answered at once). */
  private wake: (() => void) | undefined;
  private admittedCalls = 0;

  constructor(limits: BudgetLimits, clock: BudgetClock = realBudgetClock) {
    checkLimit('perSecond', limits.perSecond);
    checkLimit('perMinute', limits.perMinute);
    checkLimit('perDay', limits.perDay);
    checkLimit('concurrent', limits.concurrent);
    this.limits = { ...limits };
    this.clock = clock;
  }

  /** For reports/benches: calls admitted so far. */
  get admitted(): number {
    return this.admittedCalls;
  }

  /**
   * Waits (clock.sleep) until `calls` more calls fit every window (second, minute, concurrency, and
   * any hold); counts them at the moment they are admitted. When the rolling day is used up (or
   * dayExhaustedUntil was called) it does not wait: it answers { ok: false, problem: 'day', untilMs }.
   * Callers queue fairly (FIFO). `calls` > 1 is for one operation that makes several vendor calls one
   * after the other: they are admitted together and take one concurrency slot, so two such operations
   * can never deadlock each holding half of what they need.
   */
  acquire(calls = 1): Promise<Admission> {
    if (!(Number.isInteger(calls) && calls > 0)) {
      return Promise.reject(new RangeError(`acquire needs a positive whole number of calls (got ${calls})`));
    }
    const now = this.clock.now();
    this.forget(now);
    const untilMs = this.dayOverUntil(calls, now);
    // NOTE: no need to queue for a refusal: it takes nothing from anyone waiting.
    if (untilMs !== undefined) {
      return Promise.resolve({ ok: false, problem: 'day', untilMs });
    }
    return new Promise<Admission>((resolve, reject) => {
      this.queue.push({ calls, resolve, reject });
      void this.pump();
    });
  }

  /** The vendor answered 429 for the minute/concurrency: no call starts before untilMs. */
  holdUntil(untilMs: number): void {
    this.heldUntilMs = Math.max(this.heldUntilMs, untilMs);
  }

  /** The vendor said the day's calls are used up (its count may include calls made by other apps). */
  dayExhaustedUntil(untilMs: number): void {
    this.dayOverUntilMs = Math.max(this.dayOverUntilMs, untilMs);
    const now = this.clock.now();
    if (this.dayOverUntilMs <= now) return;
    // NOTE: everyone waiting is told now rather than after their turn comes round.
    for (const waiter of this.queue.splice(0)) {
      waiter.resolve({ ok: false, problem: 'day', untilMs: this.dayOverUntil(waiter.calls, now) ?? untilMs });
    }
    this.wakePump();
  }

  private wakePump(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private longestWindowMs(): number {
    if (this.limits.perDay !== undefined) return DAY_MS;
    return MINUTE_MS;
  }

  /** Keeps memory bounded: stamps older than the longest window can no longer matter. */
  private forget(now: number): void {
    const horizon = now - this.longestWindowMs();
    let drop = 0;
    while (drop < this.finished.length && (this.finished[drop] ?? now) <= horizon) drop += 1;
    if (drop > 0) this.finished.splice(0, drop);
  }

  /**
   * When `calls` more calls fit a window: now, a later time, or 'release' when calls in flight alone
   * fill it. A finished call stamped `s` counts while s > now - windowMs, i.e. until now = s + windowMs.
   */
  private windowFrees(windowMs: number, limit: number, calls: number, now: number): number | 'release' {
    // NOTE: an operation of more calls than the window holds is let through when the window is empty.
    const room = limit - Math.min(calls, limit) - this.callsInFlight;
    if (room < 0) return this.callsInFlight > 0 ? 'release' : now;
    const stamps = this.finished;
    let inWindow = 0;
    for (let index = stamps.length - 1; index >= 0 && (stamps[index] ?? 0) > now - windowMs; index -= 1) {
      inWindow += 1;
    }
    if (inWindow <= room) return now;
    // The oldest (inWindow - room) stamps in the window must leave it; the last of them decides.
    return (stamps[stamps.length - room - 1] ?? now) + windowMs;
  }

  /** When the day is used up for `calls` more calls: until when; undefined when they fit. */
  private dayOverUntil(calls: number, now: number): number | undefined {
    const told = this.dayOverUntilMs > now ? this.dayOverUntilMs : undefined;
    const { perDay } = this.limits;
    if (perDay === undefined) return told;
    const frees = this.windowFrees(DAY_MS, perDay, calls, now);
    // NOTE: calls in flight filling the whole day is an edge case; they stop counting a day after release.
    const own = frees === 'release' ? now + DAY_MS : frees > now ? frees : undefined;
    if (told === undefined) return own;
    return own === undefined ? told : Math.max(told, own);
  }

  /** When the next operation of `calls` calls may start, other than the day: a time or 'release'. */
  private nextStart(calls: number, now: number): number | 'release' {
    const { perSecond, perMinute, concurrent } = this.limits;
    if (concurrent !== undefined && this.operationsInFlight >= concurrent) return 'release';
    let at = Math.max(now, this.heldUntilMs);
    for (const [windowMs, limit] of [
      [SECOND_MS, perSecond],
      [MINUTE_MS, perMinute],
    ] as const) {
      if (limit === undefined) continue;
      const frees = this.windowFrees(windowMs, limit, calls, now);
      if (frees === 'release') return 'release';
      at = Math.max(at, frees);
    }
    return at;
  }

  private admit(calls: number): Admission {
    this.callsInFlight += calls;
    this.operationsInFlight += 1;
    this.admittedCalls += calls;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.callsInFlight -= calls;
        this.operationsInFlight -= 1;
        const now = this.clock.now();
        // NOTE: stamps stay sorted: a clock that stepped back is not allowed to move one earlier.
        const stamp = Math.max(now, this.finished.at(-1) ?? now);
        for (let call = 0; call < calls; call += 1) this.finished.push(stamp);
        this.forget(now);
        this.wakePump();
      },
    };
  }

  private untilReleased(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Serves the queue head first, one at a time, sleeping exactly as long as the windows require. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
        const now = this.clock.now();
        this.forget(now);
        const untilMs = this.dayOverUntil(head.calls, now);
        if (untilMs !== undefined) {
          this.queue.shift();
          head.resolve({ ok: false, problem: 'day', untilMs });
          continue;
        }
        const at = this.nextStart(head.calls, now);
        if (at === 'release') await this.untilReleased();
        else if (at > now) await this.clock.sleep(at - now);
        else {
          this.queue.shift();
          head.resolve(this.admit(head.calls));
        }
      }
    } catch (error) {
      // A clock that failed to sleep: nobody may wait forever.
      for (const waiter of this.queue.splice(0)) waiter.reject(error);
    } finally {
      this.pumping = false;
    }
  }
}
