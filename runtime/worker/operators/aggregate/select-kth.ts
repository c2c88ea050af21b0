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
  if (e - s >= BUCKETED_MIN) {
    const got = bucketedPercentile(a, s, e, p);
    if (got !== undefined) return got;
  }
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

/** Slices at least this long go through the histogram first. */
const BUCKETED_MIN = 256;
const BUCKETS = 256;
/** Values read to estimate the range. */
const SAMPLE = 32;
const histogram = new Int32Array(BUCKETS);
let candidates = new Float64Array(1024);

/**
 * Percentile by a histogram of equal-width value buckets: two light, branch-free passes (counts,
 * then a copy of the one or two buckets holding the wanted ranks) instead of quickselect's repeated
 * swapping passes; the few candidates are then selected exactly. The range comes from a small
 * strided sample and values outside it are clamped into the end buckets, so the bucket function
 * stays monotonic and ranks carry over. Undefined (use quickselect) when the sample has no finite
 * spread or one bucket range holds most of the slice (clustered data). Does not reorder a.
 */
function bucketedPercentile(a: Float64Array, s: number, e: number, p: number): number | undefined {
  const n = e - s;
  let mn = Infinity, mx = -Infinity;
  for (let j = 0; j < SAMPLE; j++) {
    const v = a[s + Math.floor(((j + 0.5) * n) / SAMPLE)]!;
    mn = v < mn ? v : mn;
    mx = v > mx ? v : mx;
  }
  if (!(mx > mn) || !Number.isFinite(mx - mn)) return undefined;
  const scale = BUCKETS / (mx - mn), top = BUCKETS - 1;
  const h = histogram;
  h.fill(0);
  let nans = 0;
  for (let i = s; i < e; i++) {
    const v = a[i]!;
    h[Math.max(0, Math.min(top, (v - mn) * scale)) | 0]!++; // NaN lands in bucket 0 and is taken out below
    nans += v !== v ? 1 : 0;
  }
  h[0]! -= nans;
  const count = n - nans;
  const pos = p * (n - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  if (lo >= count || hi >= count) return NaN;
  // Buckets holding ranks lo and hi, and how many values lie below the first of them.
  let below = 0, b = 0;
  while (below + h[b]! <= lo) below += h[b++]!;
  let bHi = b, upTo = below + h[b]!;
  while (upTo <= hi) upTo += h[++bHi]!;
  const take = upTo - below;
  if (take > (n >>> 1)) return undefined;
  if (candidates.length < take + 1) candidates = new Float64Array(Math.max(take + 1, candidates.length * 2));
  const c = candidates;
  let m = 0;
  for (let i = s; i < e; i++) {
    const v = a[i]!;
    const k = Math.max(0, Math.min(top, (v - mn) * scale)) | 0;
    c[m] = v; // always written, kept only when the bucket is wanted (no branch)
    m += (+(k >= b) & +(k <= bHi) & +(v === v));
  }
  const low = selectKth(c, 0, m, lo - below);
  if (hi === lo) return low;
  let next = c[lo - below + 1]!;
  for (let i = lo - below + 2; i < m; i++) { const v = c[i]!; next = v < next ? v : next; }
  return low + (next - low) * (pos - lo);
}
