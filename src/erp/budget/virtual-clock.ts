import type { BudgetClock } from './call-budget.ts';

// Test support: a BudgetClock whose time stands still until the program has nothing left to do but
// sleep, then jumps to the earliest wake-up. Concurrent sleepers wake in time order, so budgets,
// fake ERP latencies and waiters interleave as they would in real time, only instantly.

interface Timer {
  at: number;
  order: number;
  wake: () => void;
}

export class VirtualClock implements BudgetClock {
  /** Every sleep asked for, in ms, in the order asked. */
  readonly sleeps: number[] = [];
  private time: number;
  private readonly busy: () => boolean;
  private readonly timers: Timer[] = [];
  private asked = 0;
  private scheduled = false;

  /** `busy`: true while real work (HTTP) is under way; time does not move until it is false. */
  constructor(start = 0, busy: () => boolean = () => false) {
    this.time = start;
    this.busy = busy;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((wake) => {
      this.timers.push({ at: this.time + Math.max(0, ms), order: this.asked, wake });
      this.asked += 1;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // NOTE: setImmediate runs once every pending promise continuation has, i.e. when all is asleep.
    setImmediate(() => {
      this.fire();
    });
  }

  private fire(): void {
    this.scheduled = false;
    if (this.timers.length === 0) return;
    if (this.busy()) {
      this.scheduled = true;
      setTimeout(() => {
        this.fire();
      }, 1);
      return;
    }
    this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = this.timers.shift();
    if (next === undefined) return;
    this.time = Math.max(this.time, next.at);
    next.wake();
    if (this.timers.length > 0) this.schedule();
  }
}
