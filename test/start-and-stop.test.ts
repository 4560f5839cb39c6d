import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { APP_ROLE } from '../src/db/app-role.ts';
import { embeddedPostgresUrl } from '../src/db/embedded-postgres.ts';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from './support/free-port.ts';

// `npm start` as a person runs it: the real entry point, its own embedded Postgres, real signals.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Started {
  child: ChildProcess;
  lines: { msg?: string; level?: number }[];
  exited: Promise<number | null>;
}

function start(env: NodeJS.ProcessEnv): Started {
  const child = spawn(TSX, ['src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can signal the whole group as Ctrl+C in a terminal does.
    detached: true,
  });
  const lines: { msg?: string; level?: number }[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) if (line.trim() !== '') lines.push(JSON.parse(line) as { msg?: string });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, lines, exited };
}

async function logged(started: Started, pattern: RegExp): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const line = started.lines.find((entry) => pattern.test(entry.msg ?? ''));
    if (line?.msg !== undefined) return line.msg;
    if (started.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never logged ${pattern}; got:\n${started.lines.map((entry) => entry.msg).join('\n')}`);
}

describe('npm start', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'billops-start-'));
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on an embedded Postgres, serves, and stops cleanly on SIGTERM', async () => {
    const app = start(env);
    expect(await logged(app, /^Database: /)).toMatch(/embedded PostgreSQL .* applied \d+ migration\(s\)/);
    expect(await logged(app, /^Slack: /)).toMatch(/local mode/);
    expect(await logged(app, /^Jobs: /)).toMatch(/graphile-worker running/);
    expect(await logged(app, /^HTTP: /)).toContain(`http://localhost:${env.PORT}`);

    const health = await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', jobs: 'running' });

    // It runs as its own role, not the owner: the audit log's append-only trigger cannot be switched off.
    expect(await logged(app, /^Database: /)).toContain(`as role ${APP_ROLE}`);
    expect(app.lines.map((line) => line.msg).join('\n')).not.toMatch(
      /can switch off its append-only triggers/,
    );
    const asApp = new URL(embeddedPostgresUrl(Number(env.EMBEDDED_POSTGRES_PORT), 'billops'));
    asApp.username = APP_ROLE;
    asApp.password = 'billops-embedded-app';
    const client = new pg.Client({ connectionString: asApp.toString() });
    await client.connect();
    try {
      await expect(client.query('alter table audit_log disable trigger user')).rejects.toThrow(
        /must be owner/,
      );
      await expect(client.query('update audit_log set action = action')).rejects.toThrow(/permission denied/);
      await expect(client.query('truncate audit_log')).rejects.toThrow(/permission denied/);
      await expect(client.query('set session_replication_role = replica')).rejects.toThrow(
        /permission denied/,
      );
      expect((await client.query('select count(*) from audit_log')).rows).toHaveLength(1);
      // Its jobs run as that role: one queued now is taken and done (graphile-worker hides its rows
      // from any role but their owner unless a policy lets it see them).
      const { rows } = await client.query<{ id: string }>(
        `select id::text from graphile_worker.add_job('sweep_side_effects', '{}'::json)`,
      );
      await vi.waitFor(
        async () => {
          const left = await client.query('select 1 from graphile_worker.jobs where id = $1', [rows[0]?.id]);
          expect(left.rowCount).toBe(0);
        },
        { timeout: 30_000, interval: 200 },
      );
      expect(app.lines.map((line) => line.msg).join('\n')).not.toMatch(
        /row-level security|Cron hit an error/,
      );
    } finally {
      await client.end();
    }

    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.lines.map((line) => line.msg)).toContain('Stopped cleanly');
    // Postgres removes its pid file only on a clean shutdown.
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('finds its data again after a restart, and Ctrl+C to the whole group still stops in order', async () => {
    const app = start(env);
    expect(await logged(app, /^Database: /)).toMatch(/schema up to date/);
    await logged(app, /^HTTP: /);
    const pid = app.child.pid ?? 0;
    process.kill(-pid, 'SIGINT');
    expect(await app.exited).toBe(0);
    const messages = app.lines.map((line) => line.msg ?? '');
    expect(messages).toContain('Stopped cleanly');
    // Postgres is not in that group: it must still have been up while the app closed its connections.
    expect(messages.join('\n')).not.toMatch(/terminating connection due to administrator command/);
  });

  it('refuses a bad variable, naming it, before touching anything', async () => {
    const app = start({ ...env, PORT: 'eighty' });
    let stderr = '';
    app.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await app.exited).toBe(1);
    expect(stderr).toContain('PORT: expected the HTTP port: a whole number from 0 to 65535 (got "eighty")');
  });

  it('says in one line which database it cannot reach, and exits 1', async () => {
    const app = start({
      ...env,
      DATABASE_URL: `postgres://billops:secret@127.0.0.1:${await freePort()}/billops`,
    });
    expect(await app.exited).toBe(1);
    const fatal = app.lines.filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg)).toEqual([
      expect.stringMatching(
        /^billops could not start: Cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/billops \(DATABASE_URL\): connection refused\./,
      ),
    ]);
    expect(JSON.stringify(app.lines)).not.toMatch(/secret|\n\s+at /);
  });

  it('refuses a bad billing.yml, naming the file, line, path and what was expected', async () => {
    const file = path.join(dataDir, 'billing.yml');
    const example = await readFile(path.join(ROOT, 'billing.example.yml'), 'utf8');
    await writeFile(file, example.replace('package_size: 1000', 'package_size: -5'));
    const fresh = path.join(dataDir, 'never-started');
    const app = start({ ...env, DATA_DIR: fresh, BILLING_CONFIG: file });
    let stderr = '';
    app.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await app.exited).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `${file}:\\d+:\\d+ plans\\[1\\]\\.components\\[2\\]\\.package_size: expected a package size greater than 0 \\(got "-5"\\)`,
      ),
    );
    expect(existsSync(fresh)).toBe(false);
  });
});
