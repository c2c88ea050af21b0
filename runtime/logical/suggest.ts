/** "Did you mean" suggestions by edit distance (case differences cost little, so `UserId` finds `user_id`). */

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

/** Candidates close to `name`, best first: within a third of its length (at least 2 edits), ignoring case and `_`. */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, "");
  const target = norm(name);
  const limit = Math.max(2, Math.floor(name.length / 3));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: norm(c) === target ? 0 : Math.min(editDistance(name, c), editDistance(target, norm(c)) + 0.5) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d)
    .slice(0, max)
    .map((x) => x.c);
}

/** ` did you mean "a"?` (or `"a" or "b"`), empty when nothing is close. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const close = closestNames(name, candidates, 2);
  if (close.length === 0) return "";
  return ` did you mean ${close.map((c) => `"${c}"`).join(" or ")}?`;
}
