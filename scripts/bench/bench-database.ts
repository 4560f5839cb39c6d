import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger as WorkerLogger, runMigrations } from 'graphile-worker';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { ensureDatabase } from '../../src/db/provision-database.ts';

export interface BenchDatabase extends DatabaseHandle {
  /** For a second pool on the same database, e.g. `startApp` with this as DATABASE_URL. */
  url: string;
}

/**
 * A throwaway migrated database (ours and graphile-worker's schema, which a billing run's
 * `enqueueJob` needs): DATABASE_URL's server if set, else an embedded one in a temp dir.
 */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const name = `billops_bench_${Date.now().toString(36)}`;
  let stopServer = () => Promise.resolve();
  let url: string;
  if (process.env.DATABASE_URL) {
    const server = new URL(process.env.DATABASE_URL);
    server.pathname = '/postgres';
    await ensureDatabase(server.toString(), name);
    server.pathname = `/${name}`;
    url = server.toString();
  } else {
    const server = await startEmbeddedPostgres({
      dataDir: await mkdtemp(path.join(tmpdir(), 'billops-bench-')),
      port: 55000 + Math.floor(Math.random() * 1000),
      persistent: false,
    });
    stopServer = () => server.stop();
    await ensureDatabase(server.serverUrl, name);
    url = server.urlFor(name);
  }
  const handle = openDatabase(url, { max: 4 });
  const close = async () => {
    await handle.close();
    await stopServer();
  };
  try {
    await migrateToLatest(handle.db);
    await runMigrations({ pgPool: handle.pool, logger: new WorkerLogger(() => () => undefined) });
  } catch (error) {
    await close();
    throw error;
  }
  return { ...handle, url, close };
}
