import type { z } from 'zod';
import type { IntakeColumns } from './intake-columns.ts';
import {
  describeInput,
  truncateInput,
  type IntakeProblem,
  type RowLabel,
  type SourceRow,
} from './intake-rows.ts';

export interface ValidRow<T> {
  row: number;
  value: T;
}

export interface RowValidation<T> {
  valid: ValidRow<T>[];
  problems: IntakeProblem[];
}

/** Parses every row with `schema`; each refused field becomes one problem naming the row and field. */
export function validateRows<T>(
  rows: readonly SourceRow[],
  schema: z.ZodType<T>,
  options: { noun: string; columns: IntakeColumns },
): RowValidation<T> {
  const valid: ValidRow<T>[] = [];
  const problems: IntakeProblem[] = [];
  for (const { row, data } of rows) {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      const message = `expected an object with the ${options.noun} fields (${options.columns.required.join(', ')}, …), got ${describeInput(data)}`;
      problems.push({ row, field: '', message });
      continue;
    }
    const parsed = schema.safeParse(data);
    if (parsed.success) {
      valid.push({ row, value: parsed.data });
      continue;
    }
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const message = `unknown field; expected only ${options.columns.all.join(', ')}`;
          problems.push({ row, field: key.slice(0, 100), message });
        }
      } else {
        problems.push({ row, field: issue.path.map(String).join('.'), message: issue.message });
      }
    }
  }
  return { valid, problems };
}

/**
 * Rows that share a key (the same external id twice in one file): every one of them is a problem naming
 * the others, since nothing says which is right.
 */
export function findRepeatedKeys<T>(
  rows: readonly ValidRow<T>[],
  options: { key: (value: T) => string; field: string; rowLabel: RowLabel; rule: string },
): IntakeProblem[] {
  const byKey = new Map<string, number[]>();
  for (const { row, value } of rows) {
    const key = options.key(value);
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, [row]);
    else seen.push(row);
  }
  const problems: IntakeProblem[] = [];
  for (const [key, rowsWithKey] of byKey) {
    if (rowsWithKey.length < 2) continue;
    for (const row of rowsWithKey) {
      const others = listRows(
        rowsWithKey.filter((other) => other !== row),
        options.rowLabel,
      );
      const message = `${JSON.stringify(truncateInput(key))} also appears in ${others}; ${options.rule}`;
      problems.push({ row, field: options.field, message });
    }
  }
  return problems;
}

/** "row 4", "row 4 and row 9", "row 4, row 9, row 12 and 3 more". */
function listRows(rows: readonly number[], rowLabel: RowLabel): string {
  const labels = rows.slice(0, 3).map(rowLabel);
  if (rows.length > 3) return `${labels.join(', ')} and ${rows.length - 3} more`;
  if (labels.length < 2) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
}
