/**
 * Selection kernels for exact median/percentile over one group's slice of a Float64Array.
 * The partition step is branch-free (Lomuto with a conditional increment): on random data a
 * branchy Hoare partition mispredicts about every other element, and that dominated the
 * median of db-benchmark q6 (measured 1.6x slower on groups of 1e3 random doubles).
 */

/** Below this many values, insertion sort finishes the selection. */
const SMALL = 16;

/**
 * The k-th smallest of a[s..e) (0-based from s), rearranging the slice so that a[s+k] holds it,
 * everything before is <= and everything after is >=. NaN must not be present.
 */
export function selectKth(a: Float64Array, s: number, e: number, k: number): number {
  let lo = s, hi = e;
  const target = s + k;
  while (hi - lo > SMALL) {
    // Median of three as pivot keeps sorted and reversed inputs linear; it is an element of the slice.
    const mid = (lo + hi) >>> 1;
    let x = a[lo]!, y = a[mid]!;
    const z = a[hi - 1]!;
    if (x > y) { const t = x; x = y; y = t; }
    if (y > z) { y = z; if (x > y) y = x; }
    const pivot = y;
    // [lo, j) < pivot <= [j, hi)
    let j = lo;
    for (let i = lo; i < hi; i++) { const v = a[i]!; a[i] = a[j]!; a[j] = v; j += (v < pivot) ? 1 : 0; }
    if (target < j) { hi = j; continue; }
    // [j, m) == pivot < [m, hi): a run of equal values ends the search (and guarantees progress).
    let m = j;
    for (let i = j; i < hi; i++) { const v = a[i]!; a[i] = a[m]!; a[m] = v; m += (v === pivot) ? 1 : 0; }
    if (target < m) return pivot;
    lo = m;
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i]!;
    let p = i - 1;
    while (p >= lo && a[p]! > v) { a[p + 1] = a[p]!; p--; }
    a[p + 1] = v;
  }
  return a[target]!;
}

/** The p-th percentile of a[s..e) with interpolation; NaN sorts after every number (as in sort()). */
export function percentileOfSlice(a: Float64Array, s: number, e: number, p: number): number {
  // Move NaNs to the end: they are the largest values, and the selection loop must not see them.
  let end = e;
  for (let i = s; i < end; i++) {
    if (a[i]! !== a[i]!) { end--; a[i] = a[end]!; a[end] = NaN; i--; }
  }
  const pos = p * (e - s - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  const count = end - s;
  if (lo >= count) return NaN;
  const low = selectKth(a, s, end, lo);
  if (hi === lo) return low;
  if (hi >= count) return NaN;
  // The next rank is the smallest value right of the selected one.
  let next = a[s + lo + 1]!;
  for (let i = s + lo + 2; i < end; i++) { const v = a[i]!; next = v < next ? v : next; }
  return low + (next - low) * (pos - lo);
}
