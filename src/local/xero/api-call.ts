import type { XeroFailure } from './failure-plan.ts';
import type { RateLimitProblem } from './rate-limits.ts';

/** One request the local Xero received, whatever became of it. */
export interface ApiCall {
  at: Date;
  tenantId: string | undefined;
  method: string;
  /** Path and query as sent, e.g. /api.xro/2.0/Invoices?summarizeErrors=false&unitdp=4 */
  path: string;
  idempotencyKey: string | undefined;
  /** The status answered (or that would have been, for a call left hanging or cut off). */
  status: number;
  rateLimitProblem: RateLimitProblem | undefined;
  /** True when an Idempotency-Key replay answered it with the first response. */
  replayed: boolean;
  injected: XeroFailure['kind'] | undefined;
}
