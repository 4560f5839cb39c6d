import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import { parseBillingPeriod, type BillingPeriod } from '../../src/calendar/billing-period.ts';
import { startBillingRun } from '../../src/billing-runs/start-billing-run.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { buildTaskList } from '../../src/jobs/task-list.ts';
import { slackSignatureHeaders } from '../../src/local/slack-api/index.ts';
import { closeServer, listen } from '../../src/http/listen.ts';
import { createBoltApp } from '../../src/slack/create-bolt-app.ts';
import { identifyBot } from '../../src/slack/identify-bot.ts';
import { startApp } from '../../src/start-app.ts';
import { openBenchDatabase } from './bench-database.ts';
import { seedCustomersWithUsage } from './bench-seed.ts';

const CUSTOMERS = 10_000;
const EVENTS_PER_CUSTOMER = 100;
/** Requests in flight at once, per round. */
const CONCURRENT = 50;
/** Of each round's clicks, every NON_APPROVER_EVERY-th is by someone who may not approve. */
const NON_APPROVER_EVERY = 5;
const ROUNDS = 10;
/** Round k is fired at k × this after the run starts (or when round k-1 has all its answers, if later). */
const ROUND_INTERVAL_MS = 200;
/** Unmeasured rounds first (JIT, connections), then one measured with no run going. */
const WARM_UP_ROUNDS = 2;
/** A stretch without a turn of the event loop longer than this is reported as a stall. */
const STALL_MS = 50;
/** Approvals finalize invoices, render PDFs and send emails in jobs: the next measurement waits for them. */
const SETTLE_LIMIT_MS = 180_000;
const P99_TARGET_MS = 300;
const RATIO_TARGET = 2;

const APPROVER = 'U0APPROVER1';
const NON_APPROVER = 'U0VIEWER';
const APPROVALS_CHANNEL = 'C0APPROVALS';
/** Distinct held invoices the valid clicks need: warm-up, idle and every measured round. */
const VALID_PER_ROUND = CONCURRENT - Math.floor(CONCURRENT / NON_APPROVER_EVERY);
const HELD = VALID_PER_ROUND * (WARM_UP_ROUNDS + 1 + ROUNDS);
/** Not signed (Slack signs only the body): matches a client's sample to the bare server's timings. */
const REQUEST_ID_HEADER = 'x-bench-request';

/**
 * Slack acks while a 10,000-customer run drafts: the whole app (startApp, local mode) against the
 * floor, a bare Bolt app on the same HTTPReceiver set-up whose Approve listener only acks, in the same
 * process under an equal run. Targets: p99 < 300 ms and p99(app) ÷ p99(bare) ≤ 2.
 */
export async function benchSlackAck(): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  // An error thrown inside the app (a listener, a job, a server callback) would end the process before
  // `finally`; while the bench runs it fails the bench instead, so everything is still cleaned up.
  let crash: (error: unknown) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => {
    crash = reject;
  });
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  try {
    await Promise.race([measureAndReport(cleanups), crashed]);
  } finally {
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => {
        process.stderr.write(`slack-ack: cleanup failed: ${String(error)}\n`);
      });
    }
  }
}

/** Everything it starts, it registers in `cleanups` (run last first by the caller). */
async function measureAndReport(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  const database = await openBenchDatabase();
  cleanups.push(() => database.close());
  // The app's files (e.g. the local mail outbox) go to a directory of its own, not the repo's .data.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'billops-bench-data-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
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
  if (held.length < HELD)
    throw new Error(`expected ${String(HELD)} held invoices, found ${String(held.length)}`);
  log(
    `slack-ack: seeded ${String(CUSTOMERS)} customers, ${String(rows)} usage rows (${october.label}, ` +
      `${november.label}) and ${String(held.length)} held ${september.label} invoices in ${seconds(performance.now() - seeded)}`,
  );

  // The floor: the same receiver set-up, bot and signing secret, one listener that only acks.
  const botToken = app.slack.client.token ?? '';
  const { app: bare, server: bareServer } = createBoltApp({
    botToken,
    bot: await identifyBot(localSlack.apiUrl, botToken),
    signingSecret: config.slack.signingSecret,
    apiUrl: localSlack.apiUrl,
    logger: pino({ level: 'silent' }),
    customRoutes: [],
    clock: { now: () => new Date() },
  });
  bare.action(APPROVE_INVOICE, async ({ ack }) => {
    await ack();
  });
  await listen(bareServer, 0);
  cleanups.push(() => closeServer(bareServer));
  const bareTimings = new ServerTimings(bareServer);
  const bareUrl = `http://localhost:${String((bareServer.address() as AddressInfo).port)}`;

  // Slack is another machine: the clicks come from a worker thread, whose clock and event loop the
  // run cannot stall, so a round goes out on schedule and each answer is timed as it arrives.
  const client = new LoadClient();
  cleanups.push(() => client.stop());
  const rounds = Array.from({ length: WARM_UP_ROUNDS + 1 + ROUNDS }, (_, round) =>
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
  let signed = 0;
  const fire = (url: string, bodies: string[][], intervalMs: number) =>
    client.fire(
      `${url}/slack/events`,
      bodies.map((round) =>
        round.map((body) => ({
          body,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...slackSignatureHeaders(config.slack.signingSecret, body, Math.floor(Date.now() / 1000)),
            [REQUEST_ID_HEADER]: String((signed += 1)),
          },
        })),
      ),
      intervalMs,
    );

  // Warm-up: JIT for pricing (a dry run writes nothing) and for both receivers; then the idle figures.
  const tasks = Object.keys(buildTaskList(app.deps));
  await startBillingRun(app.deps, {
    period: october,
    scope: { customers: 'all' },
    trigger: 'command',
    startedBy: 'cli:bench',
    dryRun: true,
  });
  for (const url of [app.url, bareUrl]) await fire(url, rounds.slice(0, WARM_UP_ROUNDS), 0);
  await settled(database.db, tasks);
  const idleApp = await fire(app.url, rounds.slice(WARM_UP_ROUNDS, WARM_UP_ROUNDS + 1), 0);
  await settled(database.db, tasks);
  const idleBare = await fire(bareUrl, rounds.slice(WARM_UP_ROUNDS, WARM_UP_ROUNDS + 1), 0);
  const measured = rounds.slice(WARM_UP_ROUNDS + 1);

  /** Starts a run over all customers (not awaited) and fires the measured rounds at `url` while it goes. */
  const duringRun = async (url: string, period: BillingPeriod): Promise<Measurement> => {
    const tracer = new RunTracer();
    const loop = new LoopWatch();
    const probe = new PoolProbe(app.deps.db);
    const sessions = new SessionWatch(database.db);
    cleanups.push(() => Promise.all([loop.stop(), probe.stop(), sessions.stop()]));
    const approvalsBefore = await approvalsBy(database.db, APPROVER);
    const startedAt = epoch();
    const run = startBillingRun(
      { ...app.deps, db: app.deps.db.withPlugin(tracer) },
      { period, scope: { customers: 'all' }, trigger: 'command', startedBy: 'cli:bench' },
    ).then((result) => ({ result, finishedAt: epoch() }));
    run.catch(() => undefined); // awaited below; this only avoids an unhandled rejection meanwhile
    pendingRuns.add(run);
    const samples = await fire(url, measured, ROUND_INTERVAL_MS);
    const clientLagMaxMs = client.lastLagMaxMs;
    const { result, finishedAt } = await run;
    pendingRuns.delete(run);
    await Promise.all([loop.stop(), probe.stop(), sessions.stop()]);
    if (!result.ok || result.outcome !== 'created')
      throw new Error(`the ${period.label} run was not created`);
    const settledMs = await settled(database.db, tasks);
    return {
      period,
      drafted: result.run.counts.drafted,
      startedAt,
      inputsAt: tracer.inputsAt ?? startedAt,
      saves: tracer.saves,
      draftedAt: tracer.policyAt ?? finishedAt,
      finishedAt,
      slowestRunStatement: tracer.slowest,
      samples,
      approvals: (await approvalsBy(database.db, APPROVER)) - approvalsBefore,
      settledMs,
      clientLagMaxMs,
      loop,
      probe: probe.latencies,
      sessions,
    };
  };
  // A: the app's Approve clicks while the October run drafts all 10,000 customers.
  const a = await duringRun(app.url, october);
  // B: the same clicks at the bare app while an equal run drafts. The November run is the same
  // work as October's (same customers, plan and usage shape, seeded alike, nobody invoiced for it
  // yet) through the same code, deps and pool. Re-running October would first mean deleting run A
  // under the running app, and a dry run skips the writes, whose results share the event loop too.
  const b = await duringRun(bareUrl, november);

  report({ idleApp, idleBare, a, b, bareTimings });
}

interface Measurement {
  period: BillingPeriod;
  drafted: number;
  /** Epoch ms: the run started, its inputs reached Node, each batch of drafts went to Postgres, … */
  startedAt: number;
  inputsAt: number;
  saves: number[];
  /** … it reached the approval policy (drafting done), it committed. */
  draftedAt: number;
  finishedAt: number;
  slowestRunStatement: { ms: number; query: string };
  samples: Sample[];
  /** Approvals the valid clicks recorded (the app's listener work happened). */
  approvals: number;
  /** From the run's commit until the app was quiet again (jobs done). */
  settledMs: number;
  /** The load client's own worst event-loop delay (a starved client sends late). */
  clientLagMaxMs: number;
  loop: LoopWatch;
  probe: number[];
  sessions: SessionWatch;
}

function report(input: {
  idleApp: Sample[];
  idleBare: Sample[];
  a: Measurement;
  b: Measurement;
  bareTimings: ServerTimings;
}): void {
  const { a, b } = input;
  for (const [name, run] of [
    ['A (app) ', a],
    ['B (bare)', b],
  ] as const) {
    const at = (time: number) => `+${ms(time - run.startedAt)}`;
    const gaps = run.saves.slice(1).map((time, index) => time - (run.saves[index] ?? time));
    const sent = run.samples.map((sample) => sample.sentAt);
    log(
      `slack-ack: ${name}: ${run.period.label} run: inputs in Node at ${at(run.inputsAt)}, ` +
        `${String(run.saves.length)} COPY statements of drafts sent from ${at(run.saves[0] ?? run.startedAt)} ` +
        `(one every ${ms(median(gaps))}, at most ${ms(quantile(gaps, 1))}), ${String(run.drafted)} drafted ` +
        `by ${at(run.draftedAt)}, committed ${at(run.finishedAt)}; slowest statement (queued + run) ` +
        `${ms(run.slowestRunStatement.ms)}: ${run.slowestRunStatement.query}`,
    );
    log(
      `slack-ack: ${name}: ${String(run.samples.length)} requests (${String(ROUNDS)} rounds × ${String(CONCURRENT)}) ` +
        `sent from ${at(Math.min(...sent))} to ${at(Math.max(...sent))}: ` +
        `${String(sent.filter((time) => time < run.draftedAt).length)} while the run drafted, ` +
        `${String(sent.filter((time) => time < run.finishedAt).length)} before it committed` +
        (run === a ? `; the valid clicks recorded ${String(run.approvals)} approvals` : '') +
        `; the app was quiet again ${seconds(run.settledMs)} after the commit` +
        (run.settledMs >= SETTLE_LIMIT_MS ? ' (gave up waiting)' : ''),
    );
  }

  const inRun = (run: Measurement) => run.samples.filter((sample) => sample.sentAt < run.finishedAt);
  const appAcks = inRun(a).map((sample) => sample.ms);
  const bareAcks = inRun(b).map((sample) => sample.ms);
  const idle = (samples: Sample[]) => samples.map((sample) => sample.ms);
  log(`slack-ack: idle, no run: app ${figures(idle(input.idleApp))} | bare ${figures(idle(input.idleBare))}`);
  log(`slack-ack: during a run: app ${figures(appAcks)} | bare ${figures(bareAcks)}`);
  const p99 = quantile(appAcks, 0.99);
  const ratio99 = p99 / quantile(bareAcks, 0.99);
  const ratio50 = median(appAcks) / median(bareAcks);
  log(
    `slack-ack: p99 app ${ms(p99)} (target < ${String(P99_TARGET_MS)} ms: ${p99 < P99_TARGET_MS ? 'met' : 'missed'}); ` +
      `p99 app / bare = ${ratio99.toFixed(2)} (target ≤ ${String(RATIO_TARGET)}: ${ratio99 <= RATIO_TARGET ? 'met' : 'missed'}); ` +
      `p50 app / bare = ${ratio50.toFixed(2)}`,
  );

  for (const [name, run] of [
    ['A (app) ', a],
    ['B (bare)', b],
  ] as const) {
    const longest = run.loop
      .longest(4)
      .map((stall) => `${ms(stall.ms)} from +${ms(stall.endedAt - stall.ms - run.startedAt)}`);
    log(
      `slack-ack: ${name}: event loop delay p50 ${ms(run.loop.delay(0.5))}, p99 ${ms(run.loop.delay(0.99))}, ` +
        `max ${ms(run.loop.delay(1))}; ${String(run.loop.stalls.length)} stalls > ${String(STALL_MS)} ms ` +
        `totalling ${ms(sum(run.loop.stalls.map((stall) => stall.ms)))}, longest ${longest.join(', ')}`,
    );
    // Where the slowest acks' time went: the event loop standing still, and (bare app) in which step.
    const all = inRun(run);
    const slow = [...all].sort((x, y) => y.ms - x.ms).slice(0, Math.ceil(all.length / 20));
    const stalled = slow.map((sample) =>
      stalledWithin(run.loop.stalls, sample.sentAt, sample.sentAt + sample.ms),
    );
    const slowMs = slow.map((sample) => sample.ms);
    let split = '';
    const worst = slow[0];
    const worstServer = worst === undefined ? undefined : input.bareTimings.requests.get(worst.id);
    if (run === b && worst !== undefined && worstServer !== undefined) {
      const steps = slow.flatMap((sample) => {
        const server = input.bareTimings.requests.get(sample.id);
        return server === undefined ? [] : [{ sample, server }];
      });
      const step = (value: (entry: (typeof steps)[number]) => number) => ms(median(steps.map(value)));
      const worstStalled = stalledWithin(run.loop.stalls, worst.sentAt, worst.sentAt + worst.ms);
      split =
        `; on the bare server's clock (median from send) headers parsed ` +
        `${step(({ sample, server }) => server.parsedAt - sample.sentAt)}, ack written ` +
        `${step(({ sample, server }) => server.writtenAt - sample.sentAt)}, at the client ` +
        `${step(({ sample }) => sample.ms)}; the worst: headers parsed ${ms(worstServer.parsedAt - worst.sentAt)}, ` +
        `loop stalled ${ms(worstStalled.ms)} of its ${ms(worst.ms)}`;
    }
    log(
      `slack-ack: ${name}: slowest 5% of acks (${String(slow.length)}, ${ms(quantile(slowMs, 0))} to ` +
        `${ms(quantile(slowMs, 1))}): the event loop stood still (stalls > ${String(STALL_MS)} ms) a median ` +
        `${ms(median(stalled.map((stall) => stall.ms)))} of each, in ` +
        `${String(median(stalled.map((stall) => stall.count)))} stall(s)${split}; the client thread's ` +
        `own event-loop delay was at most ${ms(run.clientLagMaxMs)}`,
    );
    const busy = [...run.sessions.peaks.entries()].map(([what, count]) => `${what} ${String(count)}`);
    log(
      `slack-ack: ${name}: select 1 on app.deps.db every 50 ms took p50 ${ms(median(run.probe))}, ` +
        `max ${ms(quantile(run.probe, 1))}; Postgres sessions at most at once: ${busy.join(', ')}; ` +
        `longest statement seen ${ms(run.sessions.longest.ms)}: ${run.sessions.longest.query}`,
    );
  }
}

/** Approval rows by one person: clicks whose listener work got all the way to the database. */
async function approvalsBy(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('approvals')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('slack_user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

interface Sample {
  id: string;
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
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const epoch = () => performance.timeOrigin + performance.now();
parentPort.on('message', async ({ url, rounds, intervalMs }) => {
  const samples = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = performance.now();
  for (let round = 0; round < rounds.length; round += 1) {
    const wait = started + round * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await Promise.all(rounds[round].map(async ({ body, headers }) => {
      const id = headers['${REQUEST_ID_HEADER}'];
      const sentAt = epoch();
      const begun = performance.now();
      let status = 0;
      try {
        const response = await fetch(url, { method: 'POST', headers, body });
        status = response.status;
        const ms = performance.now() - begun;
        await response.arrayBuffer();
        samples.push({ id, round, sentAt, ms, status });
      } catch {
        samples.push({ id, round, sentAt, ms: performance.now() - begun, status });
      }
    }));
  }
  lag.disable();
  parentPort.postMessage({ samples, lagMaxMs: lag.max / 1e6 });
});
`;

class LoadClient {
  /** The client thread's own largest event-loop delay in the last fire: its sends were late by at most this. */
  lastLagMaxMs = 0;
  private readonly worker = new Worker(CLIENT_SOURCE, { eval: true });

  fire(url: string, rounds: SignedRequest[][], intervalMs: number): Promise<Sample[]> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        reject(error);
      };
      this.worker.once('error', onError);
      this.worker.once('message', ({ samples, lagMaxMs }: { samples: Sample[]; lagMaxMs: number }) => {
        this.worker.off('error', onError);
        this.lastLagMaxMs = lagMaxMs;
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

/** Per request (by REQUEST_ID_HEADER), on the server's side: when Node parsed its headers, when the ack was written. */
class ServerTimings {
  readonly requests = new Map<string, { parsedAt: number; writtenAt: number }>();

  constructor(server: Server) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const parsedAt = epoch();
      const id = request.headers[REQUEST_ID_HEADER];
      response.on('finish', () => {
        if (typeof id === 'string') this.requests.set(id, { parsedAt, writtenAt: epoch() });
      });
    });
  }
}

/**
 * The run's timeline from its own queries: when its inputs reached Node (the last result before the
 * first save), when each COPY of drafts was sent to Postgres, when it finished drafting (its first
 * queued job after them), and its slowest statement.
 */
class RunTracer implements KyselyPlugin {
  readonly saves: number[] = [];
  inputsAt: number | undefined;
  policyAt: number | undefined;
  slowest = { ms: 0, query: '' };
  private lastResultAt: number | undefined;
  private readonly started = new WeakMap<object, { at: number; query: string }>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const at = epoch();
    const text = RawNode.is(args.node) ? args.node.sqlFragments.join('?') : args.node.kind;
    // NOTE: drafts go in with COPY (invoices, then their lines: two statements a batch); the run's
    // first queued job after them is its finishing step.
    if (text.includes('from stdin')) {
      this.inputsAt ??= this.lastResultAt;
      this.saves.push(at);
    } else if (this.saves.length > 0 && text.includes('add_job')) this.policyAt ??= at;
    this.started.set(args.queryId, { at, query: text.replace(/\s+/g, ' ').trim().slice(0, 60) });
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.lastResultAt = epoch();
    const started = this.started.get(args.queryId);
    if (started !== undefined && this.lastResultAt - started.at > this.slowest.ms) {
      this.slowest = { ms: this.lastResultAt - started.at, query: started.query };
    }
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

  stop(): Promise<void> {
    clearInterval(this.timer);
    this.histogram.disable();
    return Promise.resolve();
  }
}

/** `select 1` through the app's own pool every 50 ms: pool waits show up as slow probes. */
class PoolProbe {
  readonly latencies: number[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(db: Db) {
    this.loop = (async () => {
      while (this.running) {
        const begun = performance.now();
        await sql`select 1`.execute(db);
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

/**
 * Every 50 ms, what the busy (not idle) Postgres sessions are doing (the run's, listeners', jobs'): the
 * most at once per state or wait, e.g. `Lock:advisory` (the audit log's append lock), `idle in transaction`.
 */
class SessionWatch {
  readonly peaks = new Map<string, number>();
  /** The statement seen running longest (since its start), and for how long. */
  longest = { ms: 0, query: '' };
  private running = true;
  private readonly loop: Promise<void>;

  constructor(db: Db) {
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await sql<{ what: string; sessions: number }>`
          select case when wait_event_type is null or wait_event_type = 'Client' then coalesce(state, '?')
              else wait_event_type || ':' || wait_event end as what, count(*)::int as sessions
          from pg_stat_activity
          where datname = current_database() and backend_type = 'client backend'
            and pid <> pg_backend_pid() and state <> 'idle'
          group by 1`.execute(db);
        let total = 0;
        for (const row of rows) {
          this.peaks.set(row.what, Math.max(this.peaks.get(row.what) ?? 0, row.sessions));
          total += row.sessions;
        }
        this.peaks.set('busy in all', Math.max(this.peaks.get('busy in all') ?? 0, total));
        const { rows: oldest } = await sql<{ ms: number; query: string }>`
          select (extract(epoch from clock_timestamp() - query_start) * 1000)::float8 as ms,
            left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 60) as query
          from pg_stat_activity
          where datname = current_database() and backend_type = 'client backend'
            and pid <> pg_backend_pid() and state = 'active'
          order by query_start limit 1`.execute(db);
        const statement = oldest[0];
        if (statement !== undefined && statement.ms > this.longest.ms) this.longest = statement;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/**
 * Waits (up to SETTLE_LIMIT_MS) until the app is quiet: no job its worker runs due within 5 s (cards, decisions'
 * effects, the coalesced summary refresh) and, twice in a row, no busy Postgres session (listeners'
 * approvals done). Jobs for tasks the worker lacks would never run, so they are not waited for.
 */
async function settled(db: Db, tasks: readonly string[]): Promise<number> {
  const begun = performance.now();
  const until = begun + SETTLE_LIMIT_MS;
  let quiet = 0;
  while (performance.now() < until && quiet < 2) {
    const { rows } = await sql<{ due: number; busy: number }>`
      select
        (select count(*)::int from graphile_worker.jobs
          where run_at <= now() + interval '5 seconds' and attempts < max_attempts
            and task_identifier = any(${[...tasks]}::text[])) as due,
        (select count(*)::int from pg_stat_activity
          where datname = current_database() and backend_type = 'client backend'
            and pid <> pg_backend_pid() and state <> 'idle') as busy`.execute(db);
    quiet = rows[0]?.due === 0 && rows[0].busy === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now() - begun;
}

function month(text: string): BillingPeriod {
  const period = parseBillingPeriod(text);
  if ('error' in period) throw new Error(period.error);
  return period;
}

function figures(acks: readonly number[]): string {
  return `p50 ${ms(median(acks))}, p99 ${ms(quantile(acks, 0.99))}, max ${ms(quantile(acks, 1))} over ${String(acks.length)}`;
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Nearest-rank quantile; q = 1 is the maximum. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** How long, and in how many stalls, the event loop stood still between `from` and `to` (epoch ms). */
function stalledWithin(
  stalls: readonly { endedAt: number; ms: number }[],
  from: number,
  to: number,
): { ms: number; count: number } {
  let total = 0;
  let count = 0;
  for (const stall of stalls) {
    const overlap = Math.min(to, stall.endedAt) - Math.max(from, stall.endedAt - stall.ms);
    if (overlap > 0) {
      total += overlap;
      count += 1;
    }
  }
  return { ms: total, count };
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
