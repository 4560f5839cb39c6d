import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APPROVE_ALL_WITHIN_POLICY, SLASH_COMMAND } from '../blocks/ids.ts';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { startApp, type RunningApp } from '../src/start-app.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { freePort } from './support/free-port.ts';

// A managed Postgres fails over, restarts for maintenance, or has its connections cut: work in flight
// (a bulk-approved run being finalized, emailed and posted) must resume on its own and end exactly once.
// Real embedded Postgres, the whole app, signed Slack clicks; nothing is mocked.

const INVOICES = Number(process.env.FAILOVER_INVOICES ?? 100);
const eventually = <T>(
  check: () => T | Promise<T>,
  timeout = Number(process.env.FAILOVER_WAIT_MS ?? 480_000),
) => vi.waitFor(check, { timeout, interval: 500 });

let dir: string;
let port: number;
let server: EmbeddedDatabase;

const startServer = async () =>
  startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port, persistent: true });

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function startBillops(database: string): Promise<RunningApp> {
  await admin(`create database ${database}`);
  const example = await readFile('billing.example.yml', 'utf8');
  const billing = path.join(dir, `${database}.yml`);
  await writeFile(billing, example.replace('max_cards_per_run: 25', 'max_cards_per_run: 3'));
  const config = loadConfig({
    DATA_DIR: path.join(dir, database),
    DATABASE_URL: server.urlFor(database),
    PORT: '0',
    BILLING_CONFIG: billing,
    JOB_HEARTBEAT_SECONDS: '1',
    // NOTE: Slack's pace is not what this test is about (see support/start-test-app.ts).
    LOCAL_SLACK_POSTS_PER_SECOND: '100',
  });
  const app = await startApp(
    config,
    pino(
      { level: process.env.FAILOVER_LOG === undefined ? 'silent' : 'debug' },
      pino.destination(process.env.FAILOVER_LOG ?? '/dev/null'),
    ),
  );
  for (let index = 1; index <= INVOICES; index += 1) {
    const id = await insertCustomer(app.deps.db, { external_id: `cus-${index}`, name: `Customer ${index}` });
    await insertSubscription(app.deps.db, id, { plan_code: 'starter' });
  }
  return app;
}

/**
 * `/invoice run`, then Approve all within policy on its summary, as two people in Slack; each tried
 * again, as a person would, while the database does not answer.
 */
async function runAndApproveAll(app: RunningApp): Promise<void> {
  const slack = app.localSlack;
  if (slack === undefined) throw new Error('expected the local Slack');
  const db = app.deps.db;
  await eventually(async () => {
    const runs = await db
      .selectFrom('billing_runs')
      .select('id')
      .execute()
      .catch(() => []);
    if (runs.length === 0) {
      await slack.sendSlashCommand({
        userId: 'U0FINANCE',
        channelId: 'C0BILLING',
        command: SLASH_COMMAND,
        text: 'run 2026-10',
      });
    }
    expect(await db.selectFrom('billing_runs').select('id').execute()).toHaveLength(1);
  }, 60_000);
  // NOTE: the summary billops keeps (a post whose ts was lost with its connection is posted again).
  const summary = await eventually(async () => {
    const run = await db.selectFrom('billing_runs').select('slack_summary_ts').executeTakeFirstOrThrow();
    const found = slack.messages('C0BILLING').find((message) => message.ts === run.slack_summary_ts);
    if (found === undefined || !visibleText(found.blocks).includes('Review'))
      throw new Error('no summary yet');
    return found;
  }, 120_000);
  await eventually(async () => {
    await slack.clickButton({
      userId: 'U0APPROVER1',
      channelId: 'C0BILLING',
      messageTs: summary.ts,
      actionId: APPROVE_ALL_WITHIN_POLICY,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await db.selectFrom('approvals').select('id').execute()).toHaveLength(INVOICES);
  }, 120_000);
}

const finalizedCount = async (app: RunningApp) =>
  (await app.deps.db.selectFrom('invoices').select('id').where('number', 'is not', null).execute()).length;

const countBy = <T>(rows: readonly T[], key: (row: T) => string) =>
  rows.reduce<Record<string, number>>((counts, row) => {
    counts[key(row)] = (counts[key(row)] ?? 0) + 1;
    return counts;
  }, {});

/** When the ledgers do not settle, the queue's own view (which job holds what, and until when) is printed. */
async function explainedOnFailure(app: RunningApp, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    const jobs = await app.deps.db
      .selectFrom('graphile_worker.jobs' as never)
      .select([
        'task_identifier',
        'attempts',
        'max_attempts',
        'run_at',
        'locked_at',
        'locked_by',
        'key',
        'last_error',
      ] as never[])
      .execute()
      .catch((failure: unknown) => [String(failure)]);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\ngraphile-worker jobs then: ${JSON.stringify(jobs, null, 2)}`, {
      cause: error,
    });
  }
}

/** Everything the run owes ends exactly once: numbers without gaps, one email, one ERP invoice each. */
async function expectEveryInvoiceDoneOnce(app: RunningApp): Promise<void> {
  const db = app.deps.db;
  await explainedOnFailure(app, () =>
    eventually(async () => {
      const invoices = await db.selectFrom('invoices').select(['status', 'number']).execute();
      expect(
        countBy(invoices, (row) => (row.number === null ? `unnumbered ${row.status}` : 'numbered')),
      ).toEqual({
        numbered: INVOICES,
      });
      const deliveries = await db.selectFrom('deliveries').select(['state', 'error']).execute();
      // Sent once; or, cut off mid-send, marked uncertain for a person (and never sent twice).
      expect(
        countBy(deliveries, (row) =>
          row.state === 'sent' || row.state === 'uncertain' ? 'done' : `${row.state}: ${row.error ?? ''}`,
        ),
      ).toEqual({ done: INVOICES });
      const syncs = await db.selectFrom('erp_syncs').select(['state', 'error']).execute();
      expect(
        countBy(syncs, (row) => `${row.state}${row.error === null ? '' : `: ${JSON.stringify(row.error)}`}`),
      ).toEqual({ synced: INVOICES });
    }),
  );
  const numbers = (await db.selectFrom('invoices').select('number').execute())
    .map((row) => Number(row.number?.replace(/\D/g, '')))
    .sort((a, b) => a - b);
  const first = numbers[0] ?? 0;
  expect(numbers).toEqual(Array.from({ length: INVOICES }, (_, index) => first + index));
  const deliveries = await db.selectFrom('deliveries').select(['message_id', 'state']).execute();
  const sentIds = (app.mailOutbox?.messages() ?? []).map(
    (message) => /^Message-ID:\s*(<[^>]+>)/im.exec(message.raw.toString('utf8'))?.[1],
  );
  for (const delivery of deliveries) {
    const copies = sentIds.filter((id) => id === delivery.message_id).length;
    // Sent once; or, cut off mid-send, marked uncertain for a person (and never sent twice).
    if (delivery.state === 'sent') expect(copies).toBe(1);
    else expect(copies).toBeLessThanOrEqual(1);
  }
  const posted = app.erpSandbox?.invoices() ?? [];
  expect(new Set(posted.map((invoice) => invoice.invoiceNumber)).size).toBe(INVOICES);
  expect(posted).toHaveLength(INVOICES);
  // A job may still be finishing its last steps (its Slack news, a payments pull paced by the ERP's
  // budget) after the ledgers are settled.
  await eventually(async () => {
    const locked = await db
      .selectFrom('graphile_worker.jobs' as never)
      .select('id' as never)
      .where('locked_at' as never, 'is not', null)
      .execute();
    expect(locked).toEqual([]);
  });
}

async function healthz(app: RunningApp): Promise<number> {
  return fetch(`${app.url}/healthz`).then(
    (response) => response.status,
    () => 0,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'billops-failover-'));
  port = await freePort();
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Postgres going away in the middle of a bulk-approved run', () => {
  it('resumes on its own after a restart: everything finalized, emailed and posted once', async () => {
    const app = await startBillops('billops_restart');
    try {
      await runAndApproveAll(app);
      await eventually(async () => {
        expect(await finalizedCount(app)).toBeGreaterThanOrEqual(5);
      }, 60_000);
      await server.stop();
      await eventually(async () => {
        expect(await healthz(app)).toBe(503);
      }, 20_000);
      server = await startServer();
      const back = Date.now();
      await eventually(async () => {
        expect(await healthz(app)).toBe(200);
      }, 60_000);
      expect(Date.now() - back).toBeLessThan(30_000);
      await expectEveryInvoiceDoneOnce(app);
    } finally {
      await app.stop();
    }
  }, 600_000);

  it('resumes on its own while its connections are cut again and again', async () => {
    const app = await startBillops('billops_terminate');
    const cutting = { on: true };
    try {
      await runAndApproveAll(app);
      // Every connection billops holds is terminated, every 0.2–1 s, for 20 s of finalizing, emailing
      // and posting: as a pooler or a failing-over primary drops them.
      const cuts = (async () => {
        const client = new pg.Client({ connectionString: server.serverUrl });
        await client.connect();
        let count = 0;
        while (cutting.on) {
          const { rowCount } = await client.query(
            `select pg_terminate_backend(pid) from pg_stat_activity
              where datname = 'billops_terminate' and pid <> pg_backend_pid()`,
          );
          count += rowCount ?? 0;
          await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
        }
        await client.end();
        return count;
      })();
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      cutting.on = false;
      expect(await cuts).toBeGreaterThan(20);
      await expectEveryInvoiceDoneOnce(app);
      await eventually(async () => {
        expect(await healthz(app)).toBe(200);
      }, 30_000);
    } finally {
      cutting.on = false;
      await app.stop();
    }
  }, 600_000);
});
