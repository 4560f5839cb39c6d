import { describe, expect, it } from 'vitest';
import { ChannelPostingBudget } from './posting-budget.ts';

/** A budget on a clock that only moves when the budget sleeps; returns when each post was let through. */
function pacedPosts(channels: string[], options = { burst: 3, perSecond: 1 }) {
  let now = 0;
  const budget = new ChannelPostingBudget({
    ...options,
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  });
  return Promise.all(channels.map((channel) => budget.take(channel).then(() => ({ channel, at: now }))));
}

describe('ChannelPostingBudget', () => {
  it('lets a burst through at once, then one post a second in the order they came', async () => {
    const times = (await pacedPosts(['C1', 'C1', 'C1', 'C1', 'C1'])).map((post) => post.at);
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    expect(times[3]).toBeCloseTo(1000);
    expect(times[4]).toBeCloseTo(2000);
  });

  it('keeps each channel its own budget: a busy channel holds up no other', async () => {
    const posts = await pacedPosts(['C1', 'C2', 'C3'], { burst: 1, perSecond: 1 });
    expect(posts.map((post) => post.at)).toEqual([0, 0, 0]);
  });
});
