/**
 * Exact median/percentile (Spark's `percentile`: linear interpolation between the closest ranks).
 * Values are appended as (group id, value) pairs into two growable typed arrays — no per-group
 * lists, no column pieces — then grouped by one counting sort on group id into a single
 * Float64Array, and each group's slice is answered by quickselect (O(n), not a sort).
 * The partial state is a list<float64> per group (the values, grouped), merged by appending.
 */
import type { Column } from "../../../batch/column.js";
import { Types } from "../../../expr/types.js";
import type { ListColumn } from "../../../batch/ops/column-types.js";
import { ensure, type Accumulator } from "./accumulator.js";
import { numericInput } from "./numeric-kernels.js";

/** Values grouped by group id: group g owns values[offsets[g] .. offsets[g + 1]). */
export interface GroupedValues {
  values: Float64Array;
  offsets: Int32Array;
}

/** Stable counting sort of (gid, value) pairs by gid. */
export function groupValues(gids: Int32Array, values: Float64Array, n: number, numGroups: number): GroupedValues {
  const offsets = new Int32Array(numGroups + 1);
  for (let i = 0; i < n; i++) offsets[gids[i]! + 1]!++;
  for (let g = 0; g < numGroups; g++) offsets[g + 1]! += offsets[g]!;
  const cursor = offsets.slice(0, numGroups);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[cursor[gids[i]!]!++] = values[i]!;
  return { values: out, offsets };
}

/**
 * The k-th smallest of a[s..e) (0-based from s), rearranging the slice so that a[s+k] holds it,
 * everything before is <= and everything after is >=. NaN must not be present.
 */
export function selectKth(a: Float64Array, s: number, e: number, k: number): number {
  let lo = s, hi = e - 1;
  const target = s + k;
  while (hi > lo) {
    // Median of three as pivot keeps sorted and reversed inputs linear.
    const mid = (lo + hi) >>> 1;
    let x = a[lo]!, y = a[mid]!, z = a[hi]!;
    if (x > y) { const t = x; x = y; y = t; }
    if (y > z) { y = z; if (x > y) y = x; }
    const pivot = y;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) { const t = a[i]!; a[i] = a[j]!; a[j] = t; i++; j--; }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
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
  for (let i = s + lo + 2; i < end; i++) if (a[i]! < next) next = a[i]!;
  return low + (next - low) * (pos - lo);
}

export class PercentileAccumulator implements Accumulator {
  readonly stateTypes = [Types.list(Types.float64)];
  private values = new Float64Array(1024);
  private gids = new Int32Array(1024);
  private count = 0;

  constructor(private readonly p: number) {}

  private reserve(extra: number): void {
    const need = this.count + extra;
    this.values = ensure(this.values, need);
    this.gids = ensure(this.gids, need);
  }

  update(gids: Int32Array, args: readonly Column[], length: number, _numGroups: number): void {
    const input = numericInput(args[0]!);
    if (input.kind === "none") return;
    this.reserve(length);
    const vals = this.values, ids = this.gids, v = input.values, validity = input.validity;
    let n = this.count;
    if (validity === undefined) {
      if (input.kind === "f64") vals.set(input.values.subarray(0, length), n);
      else for (let i = 0; i < length; i++) vals[n + i] = v[i]!;
      ids.set(gids.subarray(0, length), n);
      n += length;
    } else {
      for (let i = 0; i < length; i++) {
        if (((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
        vals[n] = v[i]!; ids[n] = gids[i]!; n++;
      }
    }
    this.count = n;
  }

  merge(gids: Int32Array, states: readonly Column[], length: number, _numGroups: number): void {
    const list = states[0] as ListColumn;
    const child = numericInput(list.child);
    if (child.kind === "none") return;
    const start = list.offsets[0]!, end = list.offsets[length]!;
    this.reserve(end - start);
    const n = this.count;
    if (child.kind === "f64") this.values.set(child.values.subarray(start, end), n);
    else for (let k = start; k < end; k++) this.values[n + k - start] = child.values[k]!;
    const ids = this.gids, offsets = list.offsets;
    for (let i = 0; i < length; i++) ids.fill(gids[i]!, n + offsets[i]! - start, n + offsets[i + 1]! - start);
    this.count = n + end - start;
  }

  state(numGroups: number): Column[] {
    const { values, offsets } = groupValues(this.gids, this.values, this.count, numGroups);
    const child: Column = { type: Types.float64, length: values.length, values, validity: undefined };
    return [{ type: Types.list(Types.float64), length: numGroups, offsets, child, validity: undefined } as Column];
  }

  finish(numGroups: number): Column {
    const { values, offsets } = groupValues(this.gids, this.values, this.count, numGroups);
    const out = new Float64Array(numGroups);
    const flags = new Uint8Array((numGroups + 7) >>> 3);
    let anyNull = false;
    for (let g = 0; g < numGroups; g++) {
      const s = offsets[g]!, e = offsets[g + 1]!;
      if (e === s) { anyNull = true; continue; }
      out[g] = percentileOfSlice(values, s, e, this.p);
      flags[g >>> 3]! |= 1 << (g & 7);
    }
    return { type: Types.float64, length: numGroups, values: out, validity: anyNull ? flags : undefined };
  }

  memoryBytes(): number {
    return this.values.byteLength + this.gids.byteLength;
  }
}
