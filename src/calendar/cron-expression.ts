import cronParser from 'cron-parser';

// Cron expressions are evaluated on the wall clock (in UTC, which has no DST) and only then placed
// in the schedule's zone (see schedule-firings.ts).
// NOTE: cron-parser 4 (node-schedule's engine) given a zone skips a day when DST starts at midnight
// (America/Santiago, America/Havana) and its prev() skips the spring-forward day even in London.

const FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
export const CRON_EXAMPLE = "'0 6 1 * *' (minute hour day-of-month month day-of-week)";

/** Iterates the wall-clock times an expression matches; each Date's UTC fields are the local ones. */
export function wallClockIterator(expression: string, from: Date): WallClockIterator {
  const iterator = cronParser.parseExpression(expression, { currentDate: from, tz: 'UTC' });
  return {
    next: () => iterator.next().toDate(),
    prev: () => iterator.prev().toDate(),
  };
}

export interface WallClockIterator {
  next(): Date;
  /** Throws when nothing earlier matches. */
  prev(): Date;
}

/** What is wrong with a cron expression, for a person; undefined when it is a valid five-field expression. */
export function cronExpressionProblem(expression: string): string | undefined {
  const trimmed = expression.trim();
  const fields = trimmed === '' ? [] : trimmed.split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `expected a cron expression of 5 fields such as ${CRON_EXAMPLE}; this one has ${fields.length}`;
  }
  if (parseProblem(fields.join(' ')) === undefined) return undefined;
  for (const [index, name] of FIELDS.entries()) {
    const field = fields[index] ?? '';
    const problem = parseProblem(FIELDS.map((_, other) => (other === index ? field : '*')).join(' '));
    if (problem === undefined) continue;
    const range = /expected range (\S+)/.exec(problem)?.[1];
    return range === undefined
      ? `expected a valid ${name} field in ${CRON_EXAMPLE}; "${field}" is not (${problem})`
      : `expected the ${name} field within ${range} in ${CRON_EXAMPLE}; "${field}" is not`;
  }
  return 'expected a day-of-month that exists in the months given; this expression would never fire';
}

function parseProblem(expression: string): string | undefined {
  try {
    cronParser.parseExpression(expression, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
