import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database for one test file: a clone of the migrated template (or empty, for migration tests). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = inject('testServerUrl');
  const name = `billops_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const template = options.empty ? 'template0' : inject('templateDatabase');
    await client.query(`create database ${name} template ${client.escapeIdentifier(template)}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(serverUrl, name);
  const handle = openDatabase(url, { max: 10 });
  return {
    ...handle,
    url,
    name,
    close: async () => {
      await handle.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}
