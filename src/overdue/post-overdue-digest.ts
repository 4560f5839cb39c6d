import { buildOverdueDigest } from '../../blocks/overdue-news.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Deps } from '../ports/deps.ts';
import { claimEvent } from '../events/claim-event.ts';
import { wallClockAt } from '../calendar/wall-clock.ts';
import { loadOverdueInvoices } from './load-overdue-invoices.ts';

export type OverdueDigestResult =
  | { code: 'posted'; date: string; count: number }
  | { code: 'nothing_overdue'; date: string }
  /** Today's digest is out already (this or another instance posted it). */
  | { code: 'already_posted'; date: string }
  | { code: 'not_yet'; date: string };

/**
 * Once a day, at or after `overdue.digest_at` in the billing time zone: one message in the billing
 * channel with every overdue invoice counted and totalled per currency, the oldest listed by name.
 * The day is claimed in processed_events in the same transaction as the post, so it goes out once.
 */
export async function postOverdueDigest(
  deps: Pick<Deps, 'db' | 'billing' | 'clock' | 'slack'>,
): Promise<OverdueDigestResult> {
  const now = deps.clock.now();
  const { timezone } = deps.billing;
  const date = todayIn(timezone, now);
  if (wallClockAt(now, timezone).toISOString().slice(11, 16) < deps.billing.overdue.digestAt) {
    return { code: 'not_yet', date };
  }
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimEvent(trx, 'overdue_digest', date))) return { code: 'already_posted', date } as const;
    const invoices = await loadOverdueInvoices(trx, deps.billing, now);
    if (invoices.length === 0) return { code: 'nothing_overdue', date } as const;
    // NOTE: posted before commit: a failed post rolls the claim back and the job tries again.
    await deps.slack.post({
      channel: deps.billing.slack.billingChannel,
      ...buildOverdueDigest({ date, invoices, escalateAfterDays: deps.billing.overdue.escalateAfterDays }),
    });
    return { code: 'posted', date, count: invoices.length } as const;
  });
}
