import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { describeDatabaseUrl, type Logger } from '../logger.ts';
import { APP_ROLE, ensureAppRole } from './app-role.ts';
import { embeddedPostgresUrl, startEmbeddedPostgres } from './embedded-postgres.ts';

export const APP_DATABASE = 'billops';
// NOTE: the embedded server listens on 127.0.0.1 only, so this password guards nothing beyond the
// machine (as its superuser's does); the role exists to keep the app from being the owner.
const APP_ROLE_PASSWORD = 'billops-embedded-app';

export interface ProvisionedDatabase {
  /** What the app connects as. */
  url: string;
  /**
   * Set when billops runs the server itself: migrations run as this owner, then `grantApp` gives the
   * app's own role (url) what it needs, so the app cannot switch off the audit log's trigger.
   */
  owner?: { url: string; grantApp: (pool: pg.Pool) => Promise<void> };
  /** For the start-up log line; never contains a password. */
  description: string;
  /** Stops the embedded server, if this process started one. */
  stop: () => Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise a persistent embedded Postgres under DATA_DIR. With `shareRunning`
 * (shell commands), an embedded server that `npm start` already runs on that directory is used as is.
 */
export async function provisionDatabase(
  config: Config,
  logger: Logger,
  options: { shareRunning?: boolean } = {},
): Promise<ProvisionedDatabase> {
  if (config.database.url !== undefined) {
    return {
      url: config.database.url,
      description: `PostgreSQL at ${describeDatabaseUrl(config.database.url)} (DATABASE_URL)`,
      stop: () => Promise.resolve(),
    };
  }
  const dataDir = path.join(config.database.dataDir, 'postgres');
  if (options.shareRunning === true && existsSync(path.join(dataDir, 'postmaster.pid'))) {
    const url = embeddedPostgresUrl(config.database.embeddedPort, APP_DATABASE);
    if (await accepts(url)) {
      return {
        url,
        description: `embedded PostgreSQL in ${dataDir}, already running (npm start)`,
        stop: () => Promise.resolve(),
      };
    }
  }
  const log = logger.child({ part: 'postgres' });
  const server = await startEmbeddedPostgres({
    dataDir,
    port: config.database.embeddedPort,
    persistent: true,
    onLog: (message) => {
      log.debug(message);
    },
    onWarning: (message) => {
      log.warn(message);
    },
  });
  try {
    await ensureDatabase(server.serverUrl, APP_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const ownerUrl = server.urlFor(APP_DATABASE);
  const appUrl = new URL(ownerUrl);
  appUrl.username = APP_ROLE;
  appUrl.password = APP_ROLE_PASSWORD;
  return {
    url: appUrl.toString(),
    owner: {
      url: ownerUrl,
      grantApp: (pool) => ensureAppRole(pool, { password: APP_ROLE_PASSWORD, database: APP_DATABASE }),
    },
    description: `embedded PostgreSQL in ${dataDir} on 127.0.0.1:${config.database.embeddedPort}, as role ${APP_ROLE}`,
    stop: () => server.stop(),
  };
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database if the server does not have it yet. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
