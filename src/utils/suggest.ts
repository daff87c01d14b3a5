// "Did you mean …?" for names the caller mistyped (an option key, a hook, a metric): the closest of the names
// that are accepted, by edit distance. The one place this logic lives; the argument checks (utils/args.ts) and
// the layers above use it. Internal: no namespace re-exports this module.

/**
 * The optimal-string-alignment distance between a and b: the fewest insertions, deletions, substitutions and
 * swaps of two neighbouring characters that turn one into the other (`momentun` → `momentum`: 1,
 * `betsa` → `betas`: 1).
 */
export function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  // three rows: the one before the previous (for swaps), the previous and the current
  let before = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row = new Array<number>(n + 1);
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row[j] = d;
    }
    [before, prev] = [prev, row];
  }
  return prev[n];
}

/**
 * The accepted name closest to `name`, or null when none is close: a name that differs only in case or in `_`
 * (`weight_decay` for `weightDecay`), else the nearest within an edit distance of about a third of its length
 * (at least 1, at most 3). Ties go to the earlier candidate. So `momentun` among lr, momentum, dampening gives
 * `momentum`, `weight_decay` among lr, weightDecay gives `weightDecay`, and `foo` gives null.
 */
export function closestName(name: string, candidates: readonly string[]): string | null {
  if (typeof name !== 'string' || name === '') return null;
  const fold = (s: string) => s.replace(/_/g, '').toLowerCase();
  const folded = fold(name);
  const same = candidates.find((c) => fold(c) === folded);
  if (same !== undefined) return same;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(c.length, name.length) / 3)));
    const d = editDistance(folded, fold(c));
    if (d <= limit && d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/**
 * `; did you mean 'x'?` when an accepted name is close to `name` (see {@link closestName}), else ''. Error
 * messages append it after their list of the accepted names.
 */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const c = closestName(name, candidates);
  return c === null ? '' : `; did you mean '${c}'?`;
}
