/** The subcommands `/invoice` knows, as typed after it. */
export const SUBCOMMANDS = [
  'help',
  'run',
  'status',
  'show',
  'review',
  'connect',
  'paid',
  'void',
  'credit',
] as const;

/**
 * The subcommand a near-miss was meant to be ("stauts" → "status", "cedit" → "credit"): the one at the
 * smallest edit distance (a swap of two neighbours counts as one edit), if that is at most 2 and less
 * than half the word, and no other is as close.
 */
export function closestSubcommand(word: string): string | undefined {
  const typed = word.toLowerCase();
  const scored = SUBCOMMANDS.map((name) => ({ name, distance: editDistance(typed, name) })).sort(
    (a, b) => a.distance - b.distance,
  );
  const [best, next] = scored;
  if (best === undefined || best.distance === 0) return undefined;
  if (best.distance > 2 || best.distance * 2 >= Math.max(typed.length, best.name.length)) return undefined;
  return next !== undefined && next.distance === best.distance ? undefined : best.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}
