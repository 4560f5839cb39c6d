import type { IntakeProblem } from './intake-rows.ts';

export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface UsageCounts {
  recorded: number;
  duplicates: number;
}

/** Every valid row was written; invalid ones (only with skipInvalid) are listed in `skipped`. */
export interface IntakeImported<Counts> {
  code: 'imported';
  rows: number;
  counts: Counts;
  skippedRows: number;
  skipped: IntakeProblem[];
}

/** Some rows were invalid and skipping was not asked for: nothing was written. */
export interface IntakeRejected {
  code: 'invalid_rows';
  rows: number;
  invalidRows: number;
  problems: IntakeProblem[];
}

export type IntakeOutcome<Counts> = IntakeImported<Counts> | IntakeRejected;

function countInvalidRows(problems: readonly IntakeProblem[]): number {
  return new Set(problems.map((problem) => problem.row)).size;
}

/** Problems in row order; within a row, in the order they were found. */
function sortProblems(problems: readonly IntakeProblem[]): IntakeProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => a.problem.row - b.problem.row || a.index - b.index)
    .map(({ problem }) => problem);
}

export function rejectRows(rows: number, problems: readonly IntakeProblem[]): IntakeRejected {
  return {
    code: 'invalid_rows',
    rows,
    invalidRows: countInvalidRows(problems),
    problems: sortProblems(problems),
  };
}

export function importedRows<Counts>(
  rows: number,
  counts: Counts,
  skipped: readonly IntakeProblem[],
): IntakeImported<Counts> {
  return {
    code: 'imported',
    rows,
    counts,
    skippedRows: countInvalidRows(skipped),
    skipped: sortProblems(skipped),
  };
}

/** Rows with no problem against them. */
export function withoutProblems<T extends { row: number }>(
  rows: readonly T[],
  problems: readonly IntakeProblem[],
): T[] {
  const invalid = new Set(problems.map((problem) => problem.row));
  return rows.filter(({ row }) => !invalid.has(row));
}

/**
 * Splits incoming rows into created / updated / unchanged against what is stored (by key), and
 * returns the rows that need writing: an identical row is not written again.
 */
export function classifyUpserts<Row>(
  rows: readonly Row[],
  stored: (row: Row) => Row | undefined,
  same: (stored: Row, incoming: Row) => boolean,
): { counts: UpsertCounts; changed: Row[] } {
  const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
  const changed: Row[] = [];
  for (const row of rows) {
    const existing = stored(row);
    if (existing !== undefined && same(existing, row)) {
      counts.unchanged += 1;
      continue;
    }
    if (existing === undefined) counts.created += 1;
    else counts.updated += 1;
    changed.push(row);
  }
  return { counts, changed };
}
