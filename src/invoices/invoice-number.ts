import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Takes the next number of a series for a year, inside the finalize transaction. NOTE: never a
 * Postgres sequence: the counter row is locked until commit, so a rolled-back finalization gives its
 * number back and concurrent ones queue on the row: consecutive numbers, no gap, no duplicate.
 */
export async function allocateInvoiceNumber(
  trx: Transaction<Database>,
  series: string,
  year: number,
): Promise<number> {
  const { rows } = await sql<{ value: string }>`
    insert into invoice_number_series (series, year, next_value) values (${series}, ${year}, 2)
    on conflict (series, year) do update set next_value = invoice_number_series.next_value + 1
    returning (next_value - 1)::text as value
  `.execute(trx);
  const value = rows[0]?.value;
  if (value === undefined) throw new Error(`No number allocated for series ${series} ${year}`);
  return Number(value);
}

/** `INV-{YYYY}-{seq:5}` + 2026-11-21 + 42 → `INV-2026-00042`. */
export function formatInvoiceNumber(pattern: string, issueDate: string, seq: number): string {
  return pattern
    .replaceAll('{YYYY}', issueDate.slice(0, 4))
    .replaceAll('{YY}', issueDate.slice(2, 4))
    .replaceAll('{MM}', issueDate.slice(5, 7))
    .replace(/\{seq(?::(\d))?\}/g, (_match, width: string | undefined) =>
      String(seq).padStart(Number(width ?? 0), '0'),
    );
}
