import { randomBytes } from 'node:crypto';

/** Issues Slack-shaped identifiers: message timestamps, view/file/channel ids, trigger ids, hashes. */
export class SlackIdIssuer {
  private lastMicros = 0;
  private readonly counters = new Map<string, number>();

  private readonly nowMs: () => number;

  constructor(nowMs: () => number) {
    this.nowMs = nowMs;
  }

  /** Message ts like `1732170000.000100`: unique and increasing even within one millisecond. */
  messageTs(): string {
    const micros = Math.max(Math.floor(this.nowMs()) * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    const fraction = String(micros % 1_000_000).padStart(6, '0');
    return `${seconds}.${fraction}`;
  }

  /** An id such as `V0L00000001` for prefix `V`; counted per prefix so test runs read the same. */
  id(prefix: string): string {
    const next = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, next);
    return `${prefix}0L${next.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  triggerId(teamId: string): string {
    const next = (this.counters.get('trigger') ?? 0) + 1;
    this.counters.set('trigger', next);
    return `${next}.${teamId}.${randomBytes(16).toString('hex')}`;
  }

  viewHash(): string {
    return `${Math.floor(this.nowMs() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  secret(): string {
    return randomBytes(12).toString('hex');
  }
}
