import { createHash } from 'node:crypto';

/** Which customers a run bills: all of them, or the listed external ids. */
export type RunScope = { customers: 'all' } | { customers: readonly string[] };

/**
 * The run's key besides its period. NOTE: the key is the scope, not who triggered it: a schedule and
 * a person asking for the same customers and period mean the same run, never a second bill.
 */
export function runKeyFor(scope: RunScope): string {
  if (scope.customers === 'all') return 'all';
  const ids = [...new Set(scope.customers)].sort().join(',');
  // A btree key must stay small; long lists are identified by their hash.
  return ids.length <= 200
    ? `customers:${ids}`
    : `customers#${createHash('sha256').update(ids).digest('hex')}`;
}

export function describeScope(scope: RunScope): string {
  if (scope.customers === 'all') return 'all customers';
  const shown = scope.customers.slice(0, 5).join(', ');
  return scope.customers.length > 5 ? `${shown} and ${scope.customers.length - 5} more` : shown;
}

/** A run's saved `scope` column, described like `describeScope`; a one-off order's run by its order. */
export function describeSavedScope(saved: unknown): string {
  const { customers, order } = (saved ?? {}) as { customers?: unknown; order?: unknown };
  const described = describeScope({ customers: Array.isArray(customers) ? customers.map(String) : 'all' });
  return typeof order === 'string' ? `${order} (${described})` : described;
}
