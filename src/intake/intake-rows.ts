import { ImpreciseJsonNumber } from './parse-json-text.ts';

// The shapes every import shares: a row still untrusted, and a problem with it a person can act on.

/** One row to import, as read from a file or a request: `data` is still untrusted. */
export interface SourceRow {
  /** Where the row is: its line in a CSV file, its 1-based item in a JSON file, its index in an API batch. */
  row: number;
  data: unknown;
}

/** What is wrong with one field of one row, and what was expected instead. */
export interface IntakeProblem {
  row: number;
  /** The field (column) at fault; empty when the row as a whole is. */
  field: string;
  message: string;
}

/** How a row number reads in a message: "row 7" (a CSV line), "item 3" (JSON), "events[2]" (API). */
export type RowLabel = (row: number) => string;

export const csvRowLabel: RowLabel = (row) => `row ${row}`;
export const jsonItemLabel: RowLabel = (row) => `item ${row}`;

/** A file that cannot be read as rows at all (bad quoting, invalid JSON, wrong shape). */
export class IntakeFileError extends Error {
  override name = 'IntakeFileError';
}

const ECHO_LIMIT = 100;

/** Input text as a message may quote it: never more than 100 characters of it. */
export function truncateInput(text: string): string {
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text;
}

/** What a value was, for "got …" in a message: strings quoted and cut to 100 characters. */
export function describeInput(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string')
    return value.trim() === '' ? 'nothing' : JSON.stringify(truncateInput(value));
  if (typeof value === 'number') return `the number ${truncateInput(String(value))}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (value instanceof ImpreciseJsonNumber) return `the number ${truncateInput(value.source)}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** "1 row", "3 rows". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
