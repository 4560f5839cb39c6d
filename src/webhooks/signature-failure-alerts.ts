import type { Deps } from '../ports/deps.ts';
import { claimEvent } from '../events/claim-event.ts';
import type { Logger } from '../logger.ts';
import type { SignatureProblem } from './signature-checks.ts';

// NOTE: one refused request is noise (a misconfigured retry, a scanner); several in a few minutes
// mean a rotated secret or someone probing. One alert per clock hour. Refusals are counted
// in memory (an unsigned request never costs a database write); the alert itself is claimed in the
// database per webhook and hour, so several billops instances still send one.
const WINDOW_MS = 10 * 60_000;
const THRESHOLD = 5;
const QUIET_MS = 60 * 60_000;

export interface SignatureFailureAlerts {
  /** Counts a refusal; resolves once any alert it caused is posted (callers need not wait). */
  record(source: string, problem: SignatureProblem, at: Date): Promise<void>;
}

/** Counts refused signatures per webhook and posts one alert to the alerts channel when they repeat. */
export function signatureFailureAlerts(
  deps: Pick<Deps, 'db' | 'slack' | 'billing'> & { logger: Logger },
  secretVariables: Readonly<Record<string, string>>,
): SignatureFailureAlerts {
  const failures = new Map<string, { at: number; problem: SignatureProblem }[]>();
  /** The clock hour each webhook last alerted in (here, or claimed by another instance). */
  const alertedHour = new Map<string, string>();
  return {
    async record(source, problem, at) {
      const now = at.getTime();
      const recent = (failures.get(source) ?? []).filter((failure) => failure.at > now - WINDOW_MS);
      recent.push({ at: now, problem });
      failures.set(source, recent);
      const hour = new Date(Math.floor(now / QUIET_MS) * QUIET_MS).toISOString();
      if (recent.length < THRESHOLD || alertedHour.get(source) === hour) return;
      alertedHour.set(source, hour);
      const counts = new Map<SignatureProblem, number>();
      for (const failure of recent) counts.set(failure.problem, (counts.get(failure.problem) ?? 0) + 1);
      const kinds = [...counts].map(([kind, count]) => `${kind.replace(/_/g, ' ')} ×${count}`).join(', ');
      const variable = secretVariables[source] ?? 'its secret';
      const text =
        `🔒 ${recent.length} requests to /webhooks/${source} in the last 10 minutes were refused (${kinds}). ` +
        `If the sender's secret was rotated, update ${variable}; if not, someone may be probing the endpoint. ` +
        'Nothing from these requests was recorded.';
      const key = `${source}:${hour}`;
      let claimed = false;
      try {
        claimed = await deps.db.transaction().execute((trx) => claimEvent(trx, 'signature-alert', key));
        if (claimed) await deps.slack.alert({ text });
      } catch (error) {
        deps.logger.error({ err: error }, 'Could not post a webhook signature alert');
        // Not said after all: the next refusal (here or on another instance) may try again.
        alertedHour.delete(source);
        if (claimed) {
          await deps.db
            .deleteFrom('processed_events')
            .where('source', '=', 'signature-alert')
            .where('event_id', '=', key)
            .execute()
            .catch(() => undefined);
        }
      }
    },
  };
}
