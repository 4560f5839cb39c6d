import type { IntakeOutcome } from './intake-outcome.ts';
import { countOf, type IntakeProblem, type RowLabel } from './intake-rows.ts';

/** "row 7, quantity: expected a decimal number such as 12.5, got "12,5"". */
export function describeProblem(problem: IntakeProblem, rowLabel: RowLabel): string {
  const field = problem.field === '' ? '' : `, ${problem.field}`;
  return `${rowLabel(problem.row)}${field}: ${problem.message}`;
}

function describeCounts(counts: object): string {
  return Object.entries(counts)
    .map(([name, count]) =>
      name === 'duplicates'
        ? countOf(Number(count), 'duplicate')
        : `${Number(count).toLocaleString('en-US')} ${name}`,
    )
    .join(', ');
}

function describeProblems(problems: readonly IntakeProblem[], rowLabel: RowLabel, limit: number): string[] {
  const lines = problems.slice(0, limit).map((problem) => `  ${describeProblem(problem, rowLabel)}`);
  if (problems.length > limit) {
    lines.push(`  … and ${countOf(problems.length - limit, 'more problem')} (the first ${limit} are shown)`);
  }
  return lines;
}

/** The import report a person reads in a terminal: counts first, then each invalid row. */
export function describeIntakeOutcome<Counts extends object>(
  outcome: IntakeOutcome<Counts>,
  options: { rowLabel: RowLabel; maxProblems?: number },
): string {
  const limit = options.maxProblems ?? 100;
  if (outcome.code === 'invalid_rows') {
    const validRows = outcome.rows - outcome.invalidRows;
    const verb = outcome.invalidRows === 1 ? 'is' : 'are';
    const fix =
      validRows === 0
        ? 'Fix them and import the file again.'
        : `Fix them, or pass --skip-invalid to import the ${countOf(validRows, 'valid row')}.`;
    return [
      `${outcome.invalidRows.toLocaleString('en-US')} of ${countOf(outcome.rows, 'row')} ${verb} invalid; nothing was imported. ${fix}`,
      ...describeProblems(outcome.problems, options.rowLabel, limit),
    ].join('\n');
  }
  const lines = [`${countOf(outcome.rows, 'row')}: ${describeCounts(outcome.counts)}.`];
  if (outcome.skippedRows > 0) {
    lines.push(`Skipped ${countOf(outcome.skippedRows, 'invalid row')}:`);
    lines.push(...describeProblems(outcome.skipped, options.rowLabel, limit));
  }
  return lines.join('\n');
}
