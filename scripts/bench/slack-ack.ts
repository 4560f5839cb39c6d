import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  RawNode,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { pino } from 'pino';
import { APPROVE_INVOICE } from '../../blocks/ids.ts';
import { parseBillingPeriod, type BillingPeriod } from '../../src/billing-runs/billing-period.ts';
import { startBillingRun } from '../../src/billing-runs/start-billing-run.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { slackSignatureHeaders } from '../../src/local/slack-api/index.ts';
import { createBoltApp } from '../../src/slack/create-bolt-app.ts';
import { identifyBot } from '../../src/slack/identify-bot.ts';
import { startApp, type RunningApp } from '../../src/start-app.ts';
import { openBenchDatabase } from './bench-database.ts';
import { seedCustomersWithUsage } from './bench-seed.ts';

const CUSTOMERS = 10_000;
const EVENTS_PER_CUSTOMER = 100;
/** Requests in flight at once, per round. */
const CONCURRENT = 50;
/** Of each round's clicks, every NON_APPROVER_EVERY-th is by someone who may not approve. */
const NON_APPROVER_EVERY = 5;
const ROUNDS = 6;
/** Round k is fired at k × this after the run starts (or when round k-1 has all its answers, if later). */
const ROUND_INTERVAL_MS = 400;
/** A stretch without a turn of the event loop longer than this is reported as a stall. */
const STALL_MS = 50;

const APPROVER = 'U0APPROVER1';
const NON_APPROVER = 'U0VIEWER';
const APPROVALS_CHANNEL = 'C0APPROVALS';
/** Distinct held invoices the valid clicks need: the idle round plus every measured round. */
const VALID_PER_ROUND = CONCURRENT - Math.floor(CONCURRENT / NON_APPROVER_EVERY);
const HELD = VALID_PER_ROUND * (ROUNDS + 1);

const p99Target = 300;
const ratioTarget = 2;

/**
 * Slack acks while a 10,000-customer run drafts: the whole app (startApp, local mode) against the
 * floor, a bare Bolt app on the same HTTPReceiver set-up whose Approve listener only acks, in the same
 * process under an equal run. Targets: p99 < 300 ms and p99(app) ÷ p99(bare) ≤ 2.
 */
export async function benchSlackAck(): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const database = await openBenchDatabase();
    cleanups.push(() => database.close());
    const config = loadConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      BILLING_CONFIG: 'billing.example.yml',
      LOG_LEVEL: 'silent',
    });
    const app = await startApp(config, pino({ level: 'silent' }));
    cleanups.push(() => app.stop());
    const localSlack = app.localSlack;
    if (localSlack === undefined) throw new Error('the bench expects local Slack mode (no SLACK_BOT_TOKEN)');
    // Runs still pending when something fails settle before the app (and its pool) stops.
    const pendingRuns = new Set<Promise<unknown>>();
    cleanups.push(() => Promise.allSettled([...pendingRuns]));

    const september = month('2026-09');
    const october = month('2026-10');
    const november = month('2026-11');
    const seeded = performance.now();
    const rows = await seedCustomersWithUsage(database.db, {
      customers: CUSTOMERS,
      eventsPerCustomer: EVENTS_PER_CUSTOMER,
      periods: [october, november],
      timezone: app.deps.billing.timezone,
    });
    // Something to click: a small September run (no usage then, so a platform fee only). Each is
    // the customer's first invoice, which the example policy holds for review.
    const heldRun = await startBillingRun(app.deps, {
      period: september,
      scope: { customers: Array.from({ length: HELD }, (_, index) => `cus_${String(index + 1)}`) },
      trigger: 'command',
      startedBy: 'cli:bench',
    });
    if (!heldRun.ok || heldRun.run.id === null) throw new Error('the September run was not created');
    const held = await database.db
      .selectFrom('invoices')
      .select(['id', 'version'])
      .where('run_id', '=', heldRun.run.id)
      .where('status', '=', 'pending_approval')
      .orderBy('id')
      .execute();
    if (held.length < HELD) throw new Error(`expected ${HELD} held invoices, found ${held.length}`);
    log(
      `slack-ack: seeded ${CUSTOMERS} customers, ${rows} usage rows (${october.label}, ${november.label}) ` +
        `and ${held.length} held ${september.label} invoices in ${seconds(performance.now() - seeded)}`,
    );

    // The floor: the same receiver set-up and signing secret, one listener that only acks.
    const botToken = app.deps.slack.token ?? '';
    const bare = createBoltApp({
      botToken,
      bot: await identifyBot(localSlack.apiUrl, botToken),
      signingSecret: config.slack.signingSecret,
      apiUrl: localSlack.apiUrl,
      logger: pino({ level: 'silent' }),
      customRoutes: [],
    });
    bare.action(APPROVE_INVOICE, async ({ ack }) => {
      await ack();
    });
    const bareServer = (await bare.start(0)) as Server;
    cleanups.push(() => bare.stop());
    const bareUrl = `http://localhost:${String((bareServer.address() as AddressInfo).port)}`;

    // Slack is another machine: the clicks come from a worker thread, whose clock and event loop the
    // run cannot stall, so a request goes out on schedule and its answer is timed when it arrives.
    const client = new LoadClient();
    cleanups.push(() => client.stop());

    const rounds = Array.from({ length: ROUNDS + 1 }, (_, round) =>
      Array.from({ length: CONCURRENT }, (_, index) => {
        const nonApprover = index % NON_APPROVER_EVERY === NON_APPROVER_EVERY - 1;
        const valid = index - Math.floor(index / NON_APPROVER_EVERY);
        const invoice = held[round * VALID_PER_ROUND + (valid % VALID_PER_ROUND)];
        if (invoice === undefined) throw new Error('not enough held invoices');
        return clickBody({
          invoice,
          userId: nonApprover ? NON_APPROVER : APPROVER,
          responseUrl: `${localSlack.baseUrl}/response-url/bench-${String(round)}-${String(index)}`,
        });
      }),
    );
    const [idleRound = [], ...measuredRounds] = rounds;
    const sign = (bodies: string[][]) =>
      bodies.map((round) =>
        round.map((body) => ({
          body,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...slackSignatureHeaders(config.slack.signingSecret, body, Math.floor(Date.now() / 1000)),
          },
        })),
      );

    // Warm-up, also the idle figures: JIT for pricing (a dry run writes nothing), one round each.
    await startBillingRun(app.deps, {
      period: october,
      scope: { customers: 'all' },
      trigger: 'command',
      startedBy: 'cli:bench',
      dryRun: true,
    });
    const idleApp = await client.fire(`${app.url}/slack/events`, sign([idleRound]), 0);
    const idleBare = await client.fire(`${bareUrl}/slack/events`, sign([idleRound]), 0);
    await jobsSettled(database.db);

    const measure = async (url: string, period: BillingPeriod) => {
      const tracer = new RunTracer();
      const loop = new LoopWatch();
      cleanups.push(() => {
        loop.stop();
        return Promise.resolve();
      });
      const probe = new PoolProbe(app);
      cleanups.push(() => probe.stop());
      const startedAt = epoch();
      const run = startBillingRun(
        { ...app.deps, db: app.deps.db.withPlugin(tracer) },
        { period, scope: { customers: 'all' }, trigger: 'command', startedBy: 'cli:bench' },
      ).then((result) => ({ result, finishedAt: epoch() }));
      run.catch(() => undefined); // awaited below; this only avoids an unhandled rejection meanwhile
      pendingRuns.add(run);
      const samples = await client.fire(`${url}/slack/events`, sign(measuredRounds), ROUND_INTERVAL_MS);
      const { result, finishedAt } = await run;
      pendingRuns.delete(run);
      loop.stop();
      await probe.stop();
      if (!result.ok || result.outcome !== 'created')
        throw new Error(`the ${period.label} run was not created`);
      await jobsSettled(database.db);
      return {
        drafted: result.run.counts.drafted,
        startedAt,
        draftedAt: tracer.policyAt ?? finishedAt,
        finishedAt,
        saves: tracer.saves,
        samples,
        loop,
        probe: probe.latencies,
      };
    };
    // A: the app's Approve clicks while the October run drafts all 10,000 customers.
    const a = await measure(app.url, october);
    // B: the same clicks at the bare app while an equal run drafts. The November run is the same
    // work as October's (same customers, plan and usage shape, seeded alike, nobody invoiced yet for
    // it) through the same code, deps and pool; re-running October would first need deleting run A
    // under the app's feet, and a dry run would skip the writes, which share the event loop too.
    const b = await measure(bareUrl, november);

    const describeRun = (name: string, period: BillingPeriod, run: typeof a) => {
      const during = run.samples.filter((sample) => sample.sentAt < run.draftedAt).length;
      const beforeCommit = run.samples.filter((sample) => sample.sentAt < run.finishedAt).length;
      const lastSent = Math.max(...run.samples.map((sample) => sample.sentAt));
      log(
        `slack-ack: ${name}: ${period.label} run drafted ${run.drafted} in ${seconds(run.draftedAt - run.startedAt)} ` +
          `(${run.saves.length} batches saved, first at +${ms(firstOr(run.saves, run.startedAt) - run.startedAt)}), ` +
          `committed at +${ms(run.finishedAt - run.startedAt)}; of ${run.samples.length} requests ` +
          `(${ROUNDS} rounds × ${CONCURRENT}, last sent at +${ms(lastSent - run.startedAt)}) ` +
          `${during} were sent while it drafted, ${beforeCommit} before it committed`,
      );
    };
    describeRun('A (app) ', october, a);
    describeRun('B (bare)', november, b);

    const inRun = (run: typeof a) =>
      run.samples.filter((sample) => sample.sentAt < run.finishedAt).map((sample) => sample.ms);
    const appAcks = inRun(a);
    const bareAcks = inRun(b);
    log(`slack-ack: idle, no run: app p50 ${figures(idleApp)} | bare p50 ${figures(idleBare)}`);
    log(
      `slack-ack: during a run: app p50 ${figures(a.samples, appAcks)} | bare p50 ${figures(b.samples, bareAcks)}`,
    );
    const ratio99 = quantile(appAcks, 0.99) / quantile(bareAcks, 0.99);
    const ratio50 = quantile(appAcks, 0.5) / quantile(bareAcks, 0.5);
    log(
      `slack-ack: p99 app ${ms(quantile(appAcks, 0.99))} (target < ${String(p99Target)} ms: ${quantile(appAcks, 0.99) < p99Target ? 'met' : 'missed'}); ` +
        `ratio p99 app / bare = ${ratio99.toFixed(2)} (target ≤ ${String(ratioTarget)}: ${ratio99 <= ratioTarget ? 'met' : 'missed'}); ` +
        `ratio p50 app / bare = ${ratio50.toFixed(2)}`,
    );
    for (const [name, run] of [
      ['A (app) ', a],
      ['B (bare)', b],
    ] as const) {
      log(
        `slack-ack: event loop during ${name}: delay p50 ${ms(run.loop.delay(0.5))}, p99 ${ms(run.loop.delay(0.99))}, ` +
          `max ${ms(run.loop.delay(1))}; ${run.loop.stalls.length} stalls > ${String(STALL_MS)} ms totalling ` +
          `${ms(sum(run.loop.stalls.map((stall) => stall.ms)))}, longest ${run.loop
            .longest(4)
            .map((stall) => `${ms(stall.ms)} at +${ms(stall.endedAt - stall.ms - run.startedAt)}`)
            .join(', ')}`,
      );
      log(
        `slack-ack: pool probe during ${name} (select 1 on app.deps.db every 50 ms): ` +
          `p50 ${ms(quantile(run.probe, 0.5))}, max ${ms(quantile(run.probe, 1))}`,
      );
    }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => {
        process.stderr.write(`slack-ack: cleanup failed: ${String(error)}\n`);
      });
    }
  }
}

interface Sample {
  round: number;
  /** Epoch ms (performance.timeOrigin + now), comparable across threads. */
  sentAt: number;
  /** Request sent → response headers received. */
  ms: number;
  status: number;
}

interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Plain JS so the worker needs no TypeScript loader; fires rounds of concurrent POSTs and times them. */
const CLIENT_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const epoch = () => performance.timeOrigin + performance.now();
parentPort.on('message', async ({ url, rounds, intervalMs }) => {
  const samples = [];
  const started = performance.now();
  for (let round = 0; round < rounds.length; round += 1) {
    const wait = started + round * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await Promise.all(rounds[round].map(async ({ body, headers }) => {
      const sentAt = epoch();
      const begun = performance.now();
      let status = 0;
      try {
        const response = await fetch(url, { method: 'POST', headers, body });
        status = response.status;
        const ms = performance.now() - begun;
        await response.arrayBuffer();
        samples.push({ round, sentAt, ms, status });
      } catch {
        samples.push({ round, sentAt, ms: performance.now() - begun, status });
      }
    }));
  }
  parentPort.postMessage(samples);
});
`;

class LoadClient {
  private readonly worker = new Worker(CLIENT_SOURCE, { eval: true });

  fire(url: string, rounds: SignedRequest[][], intervalMs: number): Promise<Sample[]> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        reject(error);
      };
      this.worker.once('error', onError);
      this.worker.once('message', (samples: Sample[]) => {
        this.worker.off('error', onError);
        const refused = samples.filter((sample) => sample.status !== 200);
        if (refused.length > 0) {
          reject(
            new Error(`${refused.length} request(s) were not acked with 200 (e.g. ${refused[0]?.status})`),
          );
        } else resolve(samples);
      });
      this.worker.postMessage({ url, rounds, intervalMs });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** A Slack `block_actions` interaction: Approve clicked on an approval card in #approvals. */
function clickBody(input: {
  invoice: { id: string; version: number };
  userId: string;
  responseUrl: string;
}): string {
  const ts = (Date.now() / 1000).toFixed(6);
  const payload = {
    type: 'block_actions',
    user: { id: input.userId, username: input.userId, name: input.userId, team_id: 'T0LOCAL' },
    api_app_id: 'A0BILLOPS',
    token: 'local-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: APPROVALS_CHANNEL, is_ephemeral: false },
    trigger_id: `bench.${ts}`,
    team: { id: 'T0LOCAL', domain: 'billops-local' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: APPROVALS_CHANNEL, name: 'approvals' },
    message: { type: 'message', ts, user: 'U0BILLOPS', bot_id: 'B0BILLOPS', text: 'Invoice to approve' },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: APPROVE_INVOICE,
        block_id: 'approval',
        text: { type: 'plain_text', text: 'Approve' },
        type: 'button',
        style: 'primary',
        value: JSON.stringify({ invoiceId: input.invoice.id, version: input.invoice.version }),
        action_ts: ts,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** When the run saved each batch of drafts and when it reached the approval policy (drafting done). */
class RunTracer implements KyselyPlugin {
  readonly saves: number[] = [];
  policyAt: number | undefined;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (RawNode.is(args.node)) {
      const text = args.node.sqlFragments.join('?');
      if (text.includes('insert into invoices')) this.saves.push(epoch());
      else if (text.includes('previous_total')) this.policyAt ??= epoch();
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** The event loop's delay histogram, and every stretch longer than STALL_MS without a turn. */
class LoopWatch {
  readonly stalls: { endedAt: number; ms: number }[] = [];
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();

  constructor() {
    this.histogram.enable();
    this.timer = setInterval(() => {
      const now = performance.now();
      if (now - this.last > STALL_MS) this.stalls.push({ endedAt: epoch(), ms: now - this.last });
      this.last = now;
    }, 5);
  }

  /** Delay at quantile q (1 = max), in ms. */
  delay(q: number): number {
    return (q >= 1 ? this.histogram.max : this.histogram.percentile(q * 100)) / 1e6;
  }

  longest(count: number): { endedAt: number; ms: number }[] {
    return [...this.stalls].sort((x, y) => y.ms - x.ms).slice(0, count);
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

/** `select 1` through the app's own pool every 50 ms: pool waits show up as slow probes. */
class PoolProbe {
  readonly latencies: number[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(app: RunningApp) {
    this.loop = (async () => {
      while (this.running) {
        const begun = performance.now();
        await sql`select 1`.execute(app.deps.db);
        this.latencies.push(performance.now() - begun);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Waits (up to 30 s) until no job is due: cards posted, decisions' effects done. */
async function jobsSettled(db: Db): Promise<void> {
  const until = performance.now() + 30_000;
  while (performance.now() < until) {
    const { rows } = await sql<{ due: number }>`
      select count(*)::int as due from graphile_worker.jobs
      where run_at <= now() and attempts < max_attempts`.execute(db);
    if ((rows[0]?.due ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function month(text: string): BillingPeriod {
  const period = parseBillingPeriod(text);
  if ('error' in period) throw new Error(period.error);
  return period;
}

function figures(samples: Sample[], acks = samples.map((sample) => sample.ms)): string {
  const all =
    samples.length === acks.length
      ? ''
      : ` (all ${String(samples.length)}: p99 ${ms(
          quantile(
            samples.map((sample) => sample.ms),
            0.99,
          ),
        )})`;
  return `${ms(quantile(acks, 0.5))}, p99 ${ms(quantile(acks, 0.99))}, max ${ms(quantile(acks, 1))} over ${String(acks.length)}${all}`;
}

/** Nearest-rank quantile; q = 1 is the maximum. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function firstOr(values: readonly number[], fallback: number): number {
  return values[0] ?? fallback;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function epoch(): number {
  return performance.timeOrigin + performance.now();
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(2)} s`;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
