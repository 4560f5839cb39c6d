import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { withCopyIn } from './copy-rows.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

const DATE_OID = 1082;

/** Dates stay 'YYYY-MM-DD' strings: a billing date has no time zone, and JS Dates would invent one. */
const typeParsers = new pg.TypeOverrides();
typeParsers.setTypeParser(DATE_OID, 'text', (value) => value);

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  close: () => Promise<void>;
}

/** One pg pool shared by Kysely and graphile-worker; `numeric` stays a string for exact money. */
export function openDatabase(
  connectionString: string,
  options: { max?: number; connectionTimeoutMillis?: number } = {},
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 20,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 0,
    types: typeParsers,
  });
  // NOTE: an idle client losing its server (restart, failover) emits 'error' on the pool; without a
  // listener that would crash the process. The next query gets a fresh connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      // Kysely's clients can also COPY rows in (copy-rows.ts).
      pool: { connect: async () => withCopyIn(await pool.connect()), end: () => pool.end() },
    }),
  });
  return { db, pool, close: () => db.destroy() };
}
