import type { Deps } from '../deps.ts';
import type { Logger } from '../logger.ts';
import type { SignatureProblem } from './signature-checks.ts';

// NOTE: one refused request is noise (a misconfigured retry, a scanner); several in a few minutes
// mean a rotated secret or someone probing. One alert, then quiet for an hour.
const WINDOW_MS = 10 * 60_000;
const THRESHOLD = 5;
const QUIET_MS = 60 * 60_000;

export interface SignatureFailureAlerts {
  record(source: string, problem: SignatureProblem, at: Date): void;
}

/** Counts refused signatures per webhook and posts one alert to the alerts channel when they repeat. */
export function signatureFailureAlerts(
  deps: Pick<Deps, 'slack' | 'billing'> & { logger: Logger },
  secretVariables: Readonly<Record<string, string>>,
): SignatureFailureAlerts {
  const failures = new Map<string, { at: number; problem: SignatureProblem }[]>();
  const lastAlert = new Map<string, number>();
  return {
    record(source, problem, at) {
      const now = at.getTime();
      const recent = (failures.get(source) ?? []).filter((failure) => failure.at > now - WINDOW_MS);
      recent.push({ at: now, problem });
      failures.set(source, recent);
      if (recent.length < THRESHOLD || now - (lastAlert.get(source) ?? -Infinity) < QUIET_MS) return;
      lastAlert.set(source, now);
      const counts = new Map<SignatureProblem, number>();
      for (const failure of recent) counts.set(failure.problem, (counts.get(failure.problem) ?? 0) + 1);
      const kinds = [...counts].map(([kind, count]) => `${kind.replace(/_/g, ' ')} ×${count}`).join(', ');
      const variable = secretVariables[source] ?? 'its secret';
      const text =
        `🔒 ${recent.length} requests to /webhooks/${source} in the last 10 minutes were refused (${kinds}). ` +
        `If the sender's secret was rotated, update ${variable}; if not, someone may be probing the endpoint. ` +
        'Nothing from these requests was recorded.';
      deps.slack.chat
        .postMessage({ channel: deps.billing.slack.alertsChannel, text })
        .catch((error: unknown) => {
          deps.logger.error({ err: error }, 'Could not post a webhook signature alert');
        });
    },
  };
}
