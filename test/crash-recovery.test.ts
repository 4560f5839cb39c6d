import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APPROVE_ALL_WITHIN_POLICY } from '../blocks/ids.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { embeddedPostgresUrl } from '../src/db/embedded-postgres.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { freePort } from './support/free-port.ts';

// The app as `npm start` runs it (its own embedded Postgres under DATA_DIR), killed with SIGKILL at
// random moments of a bulk-approved run, and its Postgres killed too; each time an operator simply
// starts it again. It must come up every time and finish the run exactly once on its own.

const INVOICES = 200;
const KILLS = 5;
const eventually = <T>(check: () => T | Promise<T>, timeout: number) =>
  vi.waitFor(check, { timeout, interval: 500 });

let dir: string;
let env: NodeJS.ProcessEnv;
let url: string;
let app: ChildProcess | undefined;
let database: DatabaseHandle | undefined;
const logFd = process.env.CRASH_LOG === undefined ? 'ignore' : openSync(process.env.CRASH_LOG, 'a');

/** `npm start` without npm and tsx's extra process, so SIGKILL reaches the app itself. */
function start(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env,
    // CRASH_LOG=file keeps the app's log of all its lives, to see what it did.
    stdio: ['ignore', logFd, logFd],
  });
  app = child;
  return child;
}

async function healthy(): Promise<void> {
  await eventually(async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
  }, 90_000);
}

function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGKILL');
  return exited;
}

async function postmasterPid(): Promise<number | undefined> {
  const file = path.join(dir, 'data', 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  return Number.parseInt((await readFile(file, 'utf8')).split('\n')[0] ?? '', 10);
}

async function local(route: string, body: unknown): Promise<number> {
  const response = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // The page says what went wrong; shown when a check on the status fails.
  if (response.status !== 200)
    process.stderr.write(`${route}: ${response.status} ${await response.text()}\n`);
  return response.status;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'billops-crash-'));
  const example = await readFile('billing.example.yml', 'utf8');
  await writeFile(
    path.join(dir, 'billing.yml'),
    example.replace('max_cards_per_run: 25', 'max_cards_per_run: 3'),
  );
  const port = await freePort();
  const pgPort = await freePort();
  url = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(DATABASE_URL|SLACK_|SMTP_|ERP_|XERO_|QUICKBOOKS_)/.test(name),
    ),
  );
  env = {
    ...inherited,
    DATA_DIR: path.join(dir, 'data'),
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(pgPort),
    BILLING_CONFIG: path.join(dir, 'billing.yml'),
    JOB_HEARTBEAT_SECONDS: '1',
    // NOTE: Slack's pace is not what this test is about (see start-test-app.ts).
    LOCAL_SLACK_POSTS_PER_SECOND: '100',
    LOG_LEVEL: process.env.CRASH_LOG === undefined ? 'warn' : 'info',
  };
  start();
  await healthy();
  database = openDatabase(embeddedPostgresUrl(pgPort, 'billops'), { max: 4 });
  for (let index = 1; index <= INVOICES; index += 1) {
    const id = await insertCustomer(database.db, { external_id: `cus-${index}`, name: `Customer ${index}` });
    await insertSubscription(database.db, id, { plan_code: 'starter' });
  }
}, 180_000);

afterAll(async () => {
  await database?.close();
  if (app !== undefined && app.exitCode === null && app.signalCode === null) {
    const exited = new Promise<void>((resolve) =>
      app?.once('exit', () => {
        resolve();
      }),
    );
    app.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('kill -9 during a bulk-approved run', () => {
  it('comes up every time and finishes the run exactly once', async () => {
    const db = () => {
      if (database === undefined) throw new Error('no database');
      return database.db;
    };
    expect(
      await local('/local/command', {
        userId: 'U0FINANCE',
        channelId: 'C0BILLING',
        text: '/invoice run 2026-10',
      }),
    ).toBe(200);
    // Approve all within policy, on the run's summary, once the run is drafted.
    await eventually(async () => {
      const run = await db().selectFrom('billing_runs').select('slack_summary_ts').executeTakeFirst();
      if (run?.slack_summary_ts == null) throw new Error('The run has no summary yet');
      expect(
        await local('/local/click', {
          userId: 'U0APPROVER1',
          channelId: 'C0BILLING',
          messageTs: run.slack_summary_ts,
          actionId: APPROVE_ALL_WITHIN_POLICY,
        }),
      ).toBe(200);
      const approvals = await db().selectFrom('approvals').select('id').execute();
      expect(approvals).toHaveLength(INVOICES);
    }, 120_000);

    for (let round = 0; round < KILLS; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 2500));
      const child = app;
      if (child === undefined) throw new Error('no app');
      if (round % 2 === 1) {
        // Its Postgres dies first; the operator then restarts the app.
        const pid = await postmasterPid();
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await kill(child);
      start();
      await healthy();
    }

    await eventually(async () => {
      const numbered = await db()
        .selectFrom('invoices')
        .select('number')
        .where('number', 'is not', null)
        .execute();
      expect(numbered).toHaveLength(INVOICES);
      const deliveries = await db().selectFrom('deliveries').select('state').execute();
      expect(deliveries.filter((row) => row.state === 'sent' || row.state === 'uncertain')).toHaveLength(
        INVOICES,
      );
      const syncs = await db().selectFrom('erp_syncs').select('state').execute();
      expect(syncs.filter((row) => row.state === 'synced')).toHaveLength(INVOICES);
    }, 300_000);

    const numbers = (await db().selectFrom('invoices').select('number').execute())
      .map((row) => Number(row.number?.replace(/\D/g, '')))
      .sort((a, b) => a - b);
    const first = numbers[0] ?? 0;
    expect(numbers).toEqual(Array.from({ length: INVOICES }, (_, index) => first + index));

    // The outbox keeps every message it accepted as an .eml file, across all five lives.
    const outbox = path.join(dir, 'data', 'outbox');
    const sent = await Promise.all(
      (await readdir(outbox)).map(
        async (file) =>
          /^Message-ID:\s*(<[^>]+>)/im.exec(await readFile(path.join(outbox, file), 'utf8'))?.[1],
      ),
    );
    const deliveries = await db().selectFrom('deliveries').select(['message_id', 'state']).execute();
    for (const delivery of deliveries) {
      const copies = sent.filter((id) => id === delivery.message_id).length;
      if (delivery.state === 'sent') expect(copies).toBe(1);
      else expect(copies).toBeLessThanOrEqual(1);
    }
    const syncs = await db().selectFrom('erp_syncs').select('invoice_id').execute();
    expect(new Set(syncs.map((row) => row.invoice_id)).size).toBe(INVOICES);
    // A job may still be finishing its last steps (its Slack news) after the ledgers are settled.
    await eventually(async () => {
      const locked = await db()
        .selectFrom('graphile_worker.jobs' as never)
        .select('id' as never)
        .where('locked_at' as never, 'is not', null)
        .execute();
      expect(locked).toEqual([]);
    }, 120_000);
  }, 900_000);
});
