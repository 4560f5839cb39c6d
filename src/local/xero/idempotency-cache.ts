// NOTE: Xero keeps an Idempotency-Key for about 6 minutes and replays the first answer to the same
// request, error answers included [secondary]. Here 2xx and 4xx answers are kept; 5xx and 429 are not,
// since they say nothing was done. A key reused for a different request is refused.

export const IDEMPOTENCY_WINDOW_MS = 6 * 60_000;

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Entry {
  fingerprint: string;
  expiresAtMs: number;
  answer: RecordedAnswer | undefined;
  settled: Promise<RecordedAnswer | undefined>;
}

export type IdempotencyLookup =
  | { kind: 'new'; settle: (answer: RecordedAnswer | undefined) => void }
  | { kind: 'replay'; answer: RecordedAnswer }
  | { kind: 'in_progress'; settled: Promise<RecordedAnswer | undefined> }
  | { kind: 'mismatch' };

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  /** Claims `key` for this request, or says what an earlier request with the same key produced. */
  claim(scope: string, key: string, fingerprint: string, nowMs: number): IdempotencyLookup {
    const id = `${scope}\u0000${key}`;
    const existing = this.entries.get(id);
    if (existing !== undefined && existing.expiresAtMs > nowMs) {
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.answer !== undefined) return { kind: 'replay', answer: existing.answer };
      return { kind: 'in_progress', settled: existing.settled };
    }
    let resolve: (answer: RecordedAnswer | undefined) => void = () => undefined;
    const settled = new Promise<RecordedAnswer | undefined>((done) => {
      resolve = done;
    });
    const entry: Entry = {
      fingerprint,
      expiresAtMs: nowMs + IDEMPOTENCY_WINDOW_MS,
      answer: undefined,
      settled,
    };
    this.entries.set(id, entry);
    return {
      kind: 'new',
      settle: (answer) => {
        const keep = answer !== undefined && answer.status < 500 && answer.status !== 429;
        if (keep) entry.answer = answer;
        else this.entries.delete(id);
        resolve(keep ? answer : undefined);
      },
    };
  }
}
