import { z } from 'zod';
import { parseBillingPeriod, unendedPeriod, type BillingPeriod } from '../calendar/billing-period.ts';
import type { Deps } from '../ports/deps.ts';
import { claimEvent } from '../events/claim-event.ts';
import { USAGE_BODY_LIMIT_BYTES } from '../http/usage-api-route.ts';
import { recordUsageBatch } from '../intake/record-usage-batch.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import {
  anySecretMatches,
  hmacSha256,
  secretsFrom,
  timestampProblem,
  type SignatureCheck,
} from './signature-checks.ts';
import { header, type WebhookRequest, type WebhookSource } from './webhook-source.ts';

const runInstruction = z
  .object({
    /** A month (2026-10) or days (2026-10-01..2026-10-14). */
    period: z.string(),
    /** Only these customers; all when absent. */
    customers: z.array(z.string().min(1)).optional(),
    /** Draft a period that has not ended yet; without it such a run is refused (422, period_not_ended). */
    force: z.boolean().optional(),
  })
  .strict();

/**
 * POST /webhooks/usage from the systems that meter usage: `{ "events": [ … ], "run"?: { "period" } }`,
 * signed like Slack signs its requests (HMAC-SHA256 over "v1:<timestamp>:<body>", 5-minute window).
 * Events are recorded as through the usage API; `run` asks for the period's billing run once usage
 * is complete, as `/invoice run` would. A run for a period that has not ended is refused, events and
 * all (nothing is recorded), unless `run.force` is true.
 */
export function usageWebhook(deps: Pick<Deps, 'db' | 'billing' | 'logger' | 'config'>): WebhookSource {
  const configured = deps.config.webhooks.usageSecret;
  const secrets = configured === undefined ? [] : secretsFrom(configured);
  return {
    name: 'usage',
    secretVariable: 'USAGE_WEBHOOK_SECRET',
    enabled: secrets.length > 0,
    bodyLimitBytes: USAGE_BODY_LIMIT_BYTES,
    verify: (request) => verifyUsageSignature(secrets, request),
    async accept(request, body) {
      const run = runOf(body);
      if (run !== undefined && !run.ok)
        return { status: 400, body: { error: 'invalid_run', message: run.message } };
      const unended =
        run === undefined ? undefined : unendedPeriod(run.period, deps.billing.timezone, request.now);
      if (unended !== undefined && run?.value.force !== true) {
        return {
          status: 422,
          body: {
            error: 'period_not_ended',
            message: `run.period: ${unended.message}. Nothing was recorded: send the run instruction after ${unended.lastDay}, or with "force": true to draft it anyway.`,
          },
        };
      }
      const recorded = await recordUsageBatch(deps.db, eventsOnly(body), {
        source: 'webhook',
        logger: deps.logger,
      });
      if (recorded.status !== 200 || run === undefined) return recorded;
      const customers = [...(run.value.customers ?? [])].sort();
      const queued = await deps.db.transaction().execute(async (trx) => {
        // NOTE: the sender may say "usage complete" more than once; the run is asked for once.
        if (!(await claimEvent(trx, 'webhook:usage-run', `${run.value.period}|${customers.join(',')}`)))
          return false;
        await enqueueJob(trx, 'start_billing_run', {
          period: run.value.period,
          customers,
          dryRun: false,
          userId: 'webhook:usage',
          channelId: deps.billing.slack.billingChannel,
        });
        return true;
      });
      return { status: 200, body: { ...recorded.body, run: queued ? 'queued' : 'already_requested' } };
    },
  };
}

export function usageSignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `v1=${hmacSha256(secret, ['v1:', timestamp, ':', body]).toString('hex')}`;
}

function verifyUsageSignature(secrets: readonly string[], request: WebhookRequest): SignatureCheck {
  const signature = header(request, 'x-billops-signature');
  if (signature === undefined) {
    return { ok: false, problem: 'missing_signature', message: 'Send the X-Billops-Signature header.' };
  }
  const timestamp = header(request, 'x-billops-timestamp') ?? '';
  const when = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : undefined;
  const window = timestampProblem(when, request.now.getTime());
  if (!window.ok) return window;
  const given = signature.startsWith('v1=') ? signature.slice(3) : '';
  const matches = anySecretMatches(secrets, given, 'hex', (secret) =>
    hmacSha256(secret, ['v1:', timestamp, ':', request.body]),
  );
  return matches
    ? { ok: true }
    : {
        ok: false,
        problem: 'bad_signature',
        message:
          'The signature does not match the body: sign "v1:<timestamp>:<raw body>" with the shared secret.',
      };
}

function runOf(
  body: unknown,
):
  | { ok: true; value: z.infer<typeof runInstruction>; period: BillingPeriod }
  | { ok: false; message: string }
  | undefined {
  if (typeof body !== 'object' || body === null || !('run' in body)) return undefined;
  const parsed = runInstruction.safeParse(body.run);
  if (!parsed.success) return { ok: false, message: `run: ${z.prettifyError(parsed.error)}` };
  const period = parseBillingPeriod(parsed.data.period);
  if ('error' in period) return { ok: false, message: `run.period: ${period.error}` };
  return { ok: true, value: parsed.data, period };
}

function eventsOnly(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { run: _run, ...rest } = body as Record<string, unknown>;
  return rest;
}
