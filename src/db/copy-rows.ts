import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely, type PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './schema.ts';

/**
 * What a column of a copied row may hold: Dates as ISO timestamps; other objects and arrays go in as
 * JSON, so they are for jsonb columns only (a text[] column needs its array literal as a string).
 */
export type CopyValue = string | number | boolean | null | Date | object;

// NOTE: Kysely cannot speak PostgreSQL's COPY sub-protocol (kysely-org/kysely#1509), so `copyRows` sends
// `copy … from stdin $1` with the rows as the one parameter, and the pool's clients (`withCopyIn`,
// installed by openDatabase) stream that parameter through pg-copy-streams on the same connection:
// the copy runs inside whatever transaction issued it.
const COPY_FROM_STDIN = /^(copy\s[\s\S]+\sfrom\s+stdin)\s+\$1$/i;

/**
 * Writes rows with `COPY … FROM STDIN` (text format): several times cheaper for Postgres to take in
 * than the same rows as INSERT parameters or a JSON document. All or nothing, like any statement;
 * a constraint violation rejects with pg's error (code, constraint) and aborts the transaction.
 */
export async function copyRows<Row extends Record<string, CopyValue>>(
  db: Kysely<Database>,
  table: keyof Database,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const text =
    rows.map((row) => columns.map((column) => copyField(row[column] ?? null)).join('\t')).join('\n') + '\n';
  await sql`copy ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) from stdin ${text}`.execute(
    db,
  );
}

/** A pg pool client as Kysely's pool hands it out, able to run the `copy … from stdin $1` above. */
export function withCopyIn(client: pg.PoolClient): PostgresPoolClient {
  // NOTE: Kysely's PostgresConnection only ever calls query(sql, parameters); it passes a cursor only
  // when the dialect is configured with one, and ours is not.
  const query = (text: string, parameters: readonly unknown[] = []) => {
    const copy = COPY_FROM_STDIN.exec(text);
    const [data] = parameters;
    if (copy?.[1] === undefined || parameters.length !== 1 || typeof data !== 'string') {
      return client.query(text, [...parameters]);
    }
    const stream = client.query(copyFrom(copy[1]));
    return pipeline(Readable.from([data]), stream).then(() => ({
      command: 'INSERT' as const,
      rowCount: stream.rowCount,
      rows: [],
    }));
  };
  return {
    query: query as unknown as PostgresPoolClient['query'],
    release: () => {
      client.release();
    },
  };
}

/** One field in COPY's text format: `\N` for null, backslash escapes for the characters it reserves. */
function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`COPY got ${String(value)}, which no column should hold`);
  }
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return RESERVED.test(text) ? text.replace(RESERVED_ALL, (char) => ESCAPES[char] ?? char) : text;
}

const RESERVED = /[\\\t\n\r]/;
const RESERVED_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
