import { describe, expect, it } from 'vitest';

import { CallBudget, QUICKBOOKS_BUDGET, XERO_BUDGET, type Admission } from './call-budget.ts';
import { VirtualClock } from './virtual-clock.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The most starts in any window of `windowMs` beginning at a start (which covers every window). */
function busiestWindow(starts: readonly number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (const [index, start] of sorted.entries()) {
    most = Math.max(most, sorted.slice(index).filter((other) => other < start + windowMs).length);
  }
  return most;
}

function admitted(admission: Admission): () => void {
  if (!admission.ok) throw new Error(`expected an admission, got a refusal until ${admission.untilMs}`);
  return admission.release;
}

/** `count` operations at once; each holds its admission for `holdMs` virtual ms. Returns start times. */
async function run(budget: CallBudget, clock: VirtualClock, count: number, holdMs = 0): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const release = admitted(await budget.acquire());
      const start = clock.now();
      if (holdMs > 0) await clock.sleep(holdMs);
      release();
      return start;
    }),
  );
}

describe('CallBudget', () => {
  it('admits exactly 60 calls in a rolling minute, and 180 take two minutes of exact sleeps', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 60 }, clock);
    const starts = await run(budget, clock, 180);
    expect(starts.filter((start) => start === 0)).toHaveLength(60);
    expect(starts.filter((start) => start === MINUTE)).toHaveLength(60);
    expect(Math.max(...starts)).toBe(2 * MINUTE);
    expect(busiestWindow(starts, MINUTE)).toBe(60);
    // NOTE: exact waits, not polling: one sleep per full minute.
    expect(clock.sleeps).toEqual([MINUTE, MINUTE]);
    expect(budget.admitted).toBe(180);
  });

  it('keeps every rolling minute at or under the limit when calls arrive spread out', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget(XERO_BUDGET, clock);
    const starts = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        await clock.sleep((index * 7_919) % 150_000);
        const release = admitted(await budget.acquire());
        const start = clock.now();
        await clock.sleep(250);
        release();
        return start;
      }),
    );
    expect(busiestWindow(starts, MINUTE)).toBeLessThanOrEqual(60);
    // 200 calls need at least three full minutes after the first.
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(3 * MINUTE);
  });

  it('never has more than `concurrent` operations in flight', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 1000, concurrent: 5 }, clock);
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 23 }, async () => {
        const release = admitted(await budget.acquire());
        inFlight += 1;
        most = Math.max(most, inFlight);
        await clock.sleep(100);
        inFlight -= 1;
        release();
      }),
    );
    expect(most).toBe(5);
    expect(clock.now()).toBe(500);
  });

  it('holds QuickBooks to 10 calls in any second as well as 500 a minute', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget(QUICKBOOKS_BUDGET, clock);
    const starts = await run(budget, clock, 35);
    expect(busiestWindow(starts, 1000)).toBe(10);
    expect(Math.max(...starts)).toBe(3000);

    const minute = await run(new CallBudget(QUICKBOOKS_BUDGET, clock), clock, 520);
    expect(busiestWindow(minute, MINUTE)).toBe(500);
    expect(busiestWindow(minute, 1000)).toBe(10);
  });

  it('answers at once when its own rolling day is used up, with when a call fits again', async () => {
    const clock = new VirtualClock(1_000);
    const budget = new CallBudget({ perMinute: 60, perDay: 3 }, clock);
    await run(budget, clock, 1);
    await clock.sleep(5_000);
    await run(budget, clock, 2);
    expect(await budget.acquire()).toEqual({ ok: false, problem: 'day', untilMs: 1_000 + DAY });
    expect(clock.sleeps).toEqual([5_000]);

    await clock.sleep(DAY);
    expect((await budget.acquire()).ok).toBe(true);
  });

  it('answers at once after dayExhaustedUntil, waiters included, and admits again afterwards', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 60, concurrent: 1 }, clock);
    const held = admitted(await budget.acquire());
    const waiting = budget.acquire();
    budget.dayExhaustedUntil(40_000);
    expect(await waiting).toEqual({ ok: false, problem: 'day', untilMs: 40_000 });
    expect(await budget.acquire()).toEqual({ ok: false, problem: 'day', untilMs: 40_000 });
    held();
    await clock.sleep(40_000);
    expect((await budget.acquire()).ok).toBe(true);
    expect(clock.now()).toBe(40_000);
  });

  it('starts nothing before a hold ends', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 60 }, clock);
    await run(budget, clock, 1);
    budget.holdUntil(30_000);
    budget.holdUntil(10_000);
    expect(await run(budget, clock, 2)).toEqual([30_000, 30_000]);
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('serves waiters first come, first served, a large operation included', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 3, concurrent: 1 }, clock);
    const order: string[] = [];
    const take = async (name: string, calls: number): Promise<void> => {
      const release = admitted(await budget.acquire(calls));
      order.push(name);
      await clock.sleep(10);
      release();
    };
    await Promise.all([take('a', 1), take('b', 1), take('c', 2), take('d', 1), take('e', 1)]);
    // c needs two calls with one left in the minute: d and e must not overtake it.
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('does not deadlock operations of several calls under a concurrency limit', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget(XERO_BUDGET, clock);
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = admitted(await budget.acquire(2));
        inFlight += 1;
        most = Math.max(most, inFlight);
        await clock.sleep(100);
        inFlight -= 1;
        release();
      }),
    );
    expect(most).toBe(5);
    expect(clock.now()).toBe(200);
    expect(budget.admitted).toBe(20);
  });

  it('keeps a call in the windows until a window after its release, when the vendor may have seen it', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 1 }, clock);
    expect(await run(budget, clock, 1, 10_000)).toEqual([0]);
    expect(await run(budget, clock, 1)).toEqual([70_000]);
  });

  it('forgets calls older than its longest window', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 60 }, clock);
    await run(budget, clock, 600);
    expect(clock.now()).toBe(9 * MINUTE);
    expect((budget as unknown as { finished: number[] }).finished.length).toBeLessThanOrEqual(60);
  });

  it('refuses limits that are not positive whole numbers', () => {
    expect(() => new CallBudget({ perMinute: 0 })).toThrow(RangeError);
    expect(() => new CallBudget({ perMinute: 60, concurrent: 1.5 })).toThrow(RangeError);
  });
});
