// Failures a test arranges for the next matching calls, after authentication and rate limits.

export type XeroFailure =
  /** Answer with this status (500, 503, 429…) without doing anything. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Do the work, then never answer: the client times out not knowing it succeeded. */
  | { kind: 'timeout_after_commit'; hangMs?: number }
  /** Do the work, then drop the connection (ECONNRESET / socket hang up). */
  | { kind: 'reset_after_commit' }
  /** Fail every element of the next write with this validation message. */
  | { kind: 'validation'; message: string };

export interface FailureMatch {
  /** GET, PUT, POST; any when absent (writes only for `validation`). */
  method?: string;
  /** First path segment after /api.xro/2.0: 'Invoices', 'Contacts'; `Attachments` for attachment uploads. */
  resource?: string;
}

interface Planned {
  failure: XeroFailure;
  match: FailureMatch;
  remaining: number;
}

export class FailurePlan {
  private readonly planned: Planned[] = [];

  add(failure: XeroFailure, match: FailureMatch, times: number): void {
    this.planned.push({ failure, match, remaining: times });
  }

  /** The first arranged failure that matches this call, used up once. */
  take(method: string, resource: string, isWrite: boolean): XeroFailure | undefined {
    const index = this.planned.findIndex(({ failure, match }) => {
      if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
      if (match.resource !== undefined && match.resource.toLowerCase() !== resource.toLowerCase())
        return false;
      return failure.kind !== 'validation' || (isWrite && resource !== 'Attachments');
    });
    const found = this.planned[index];
    if (found === undefined) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.planned.splice(index, 1);
    return found.failure;
  }

  clear(): void {
    this.planned.length = 0;
  }
}
