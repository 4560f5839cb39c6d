import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger as WorkerLogger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { freePort } from './support/free-port.ts';
import { withDatabase } from './support/test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (database `postgres`) where test files may create databases. */
    testServerUrl: string;
    /** A migrated database (ours and graphile-worker's schema) to clone per test file. */
    templateDatabase: string;
  }
}

/**
 * One real Postgres for the whole run: DATABASE_URL's server when set, otherwise an embedded one in a
 * temporary directory. Each test file clones the migrated template, so files are isolated and fast.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tempDir = process.env.DATABASE_URL ? undefined : await mkdtemp(path.join(tmpdir(), 'billops-test-'));
  const server =
    tempDir === undefined
      ? { serverUrl: withDatabase(process.env.DATABASE_URL ?? '', 'postgres'), stop: () => Promise.resolve() }
      : await startEmbeddedPostgres({
          dataDir: path.join(tempDir, 'postgres'),
          port: await freePort(),
          persistent: false,
        });
  const stopServer = async () => {
    await server.stop();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  };

  const template = `billops_template_${process.pid}`;
  await adminQuery(server.serverUrl, `drop database if exists ${template}`);
  await adminQuery(server.serverUrl, `create database ${template}`);
  const templateUrl = withDatabase(server.serverUrl, template);
  const database = openDatabase(templateUrl, { max: 2 });
  try {
    await migrateToLatest(database.db);
    await runMigrations({ connectionString: templateUrl, logger: new WorkerLogger(() => () => undefined) });
  } catch (error) {
    await database.close();
    await stopServer();
    throw error;
  }
  await database.close();

  project.provide('testServerUrl', server.serverUrl);
  project.provide('templateDatabase', template);
  return async () => {
    await adminQuery(server.serverUrl, `drop database if exists ${template} with (force)`).catch(
      () => undefined,
    );
    await stopServer();
  };
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
