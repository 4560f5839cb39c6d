import { describe, expect, it } from 'vitest';

import { TenantRateLimiter, xeroLimits } from './rate-limits.ts';

describe('TenantRateLimiter', () => {
  it('admits 60 calls in a rolling minute and says when the 61st fits', () => {
    const limiter = new TenantRateLimiter(xeroLimits);
    for (let second = 0; second < 60; second += 1) {
      const admission = limiter.admit(second * 1000);
      if (admission.admitted) admission.release();
    }
    expect(limiter.admit(59_500)).toMatchObject({ admitted: false, problem: 'minute', retryAfterSeconds: 1 });
    expect(limiter.admit(60_000).admitted).toBe(true);
  });

  it('counts calls in flight, not calls made, against the concurrency limit', () => {
    const limiter = new TenantRateLimiter(xeroLimits);
    const held = Array.from({ length: 5 }, () => limiter.admit(0));
    expect(limiter.admit(0)).toMatchObject({ admitted: false, problem: 'concurrent', retryAfterSeconds: 1 });
    const [first] = held;
    if (first?.admitted === true) first.release();
    expect(limiter.admit(0).admitted).toBe(true);
  });

  it('does not count refused calls', () => {
    const limiter = new TenantRateLimiter({ perMinute: 1, perDay: 10, concurrent: 5 });
    limiter.admit(0);
    limiter.admit(1);
    limiter.admit(2);
    expect(limiter.admit(60_001)).toMatchObject({ admitted: true, remaining: { minute: 0, day: 8 } });
  });
});
