import { performance } from 'node:perf_hooks';

// NOTE: Slack wants an ack within 3 seconds, and acks share this thread with billing runs. Long loops
// (pricing 10,000 customers) call `pause()` often; it yields to the event loop once the budget is used.
const DEFAULT_BUDGET_MS = 8;

/** A cooperative time budget for long synchronous loops: `await pause()` in the loop body. */
export function eventLoopBudget(budgetMs = DEFAULT_BUDGET_MS): { pause: () => Promise<void> } {
  let since = performance.now();
  return {
    pause: async () => {
      if (performance.now() - since < budgetMs) return;
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    },
  };
}
