/**
 * The slot arrays of WindowGroupLimitExec: for each group id g, slots[g*k .. g*k+filled[g]) hold
 * the row numbers of the group's best rows so far, best first. Rows are offered once; survivors
 * are chosen from the slots; slots are renumbered when the survivors are gathered.
 */
import type { Batch } from "../../batch/column.js";
import type { RowComparator } from "../../batch/ops/sort-permutation.js";
import { validFlagsOf } from "../../batch/ops/valid-flags.js";
import type { SortOrder } from "../../expr/ir.js";
import { compileExpr } from "./eval.js";

/**
 * One order key as a number per row where smaller = better, when that is exact: a single
 * int32/date/float64 key with no NaN or infinity (those and nulls need more than one number).
 * Nulls become -Infinity (nulls first) or +Infinity (nulls last).
 */
export function numericOrderKey(order: readonly SortOrder[], batch: Batch): Float64Array | undefined {
  if (order.length !== 1) return undefined;
  const o = order[0]!;
  const col = compileExpr(o.expr, batch.schema).evaluate(batch);
  const kind = col.type.kind;
  if (kind !== "int32" && kind !== "date" && kind !== "float64") return undefined;
  const values = (col as { values: Int32Array | Float64Array }).values;
  const valid = validFlagsOf(col);
  const n = batch.length;
  const key = new Float64Array(n);
  const sign = o.ascending ? 1 : -1;
  const nullKey = o.nullsFirst ? -Infinity : Infinity;
  for (let i = 0; i < n; i++) {
    if (valid && valid[i] === 0) { key[i] = nullKey; continue; }
    const v = values[i]!;
    if (v - v !== 0) return undefined; // NaN or infinity
    key[i] = sign * v;
  }
  return key;
}

export function orderKeyComparator(key: Float64Array): RowComparator {
  return (i, j) => (key[i]! < key[j]! ? -1 : key[i]! > key[j]! ? 1 : 0);
}

/**
 * Offers rows from..n-1 to their group's slots (k per group, best first). A row that ties the
 * worst slot of a full group does not displace it, so earlier rows win ties (as a stable sort).
 * distinctValues (dense_rank): a row equal to a slot's value takes no slot of its own.
 */
export function offerRows(
  ids: Int32Array, from: number, n: number, k: number, distinctValues: boolean, cmp: RowComparator, slots: Int32Array, filled: Int32Array,
): void {
  for (let i = from; i < n; i++) {
    const g = ids[i]!;
    const base = g * k;
    const count = filled[g]!;
    const full = count === k;
    if (full && cmp(i, slots[base + k - 1]!) >= 0) continue;
    // Insertion point: after every slot the row is not better than.
    let p = full ? k - 1 : count;
    let before = 1;
    while (p > 0) {
      before = cmp(i, slots[base + p - 1]!);
      if (before >= 0) break;
      p--;
    }
    if (distinctValues && p > 0 && before === 0) continue;
    for (let q = full ? k - 1 : count; q > p; q--) slots[base + q] = slots[base + q - 1]!;
    slots[base + p] = i;
    if (!full) filled[g] = count + 1;
  }
}

/** Slots point at rows of the pass's batch; make them point at the same rows in the kept batch. */
export function renumberSlots(slots: Int32Array, filled: Int32Array, groupCount: number, k: number, keep: Int32Array, n: number): void {
  if (keep.length === n) return;
  const place = new Int32Array(n);
  for (let j = 0; j < keep.length; j++) place[keep[j]!] = j;
  for (let g = 0; g < groupCount; g++) {
    const base = g * k;
    for (let s = 0; s < filled[g]!; s++) slots[base + s] = place[slots[base + s]!]!;
  }
}

export function gatherInts(values: Int32Array, idx: Int32Array): Int32Array {
  const out = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = values[idx[j]!]!;
  return out;
}

/** row_number: the rows in the slots, in input order. */
export function slotRows(slots: Int32Array, filled: Int32Array, groupCount: number, k: number, n: number): Int32Array {
  const mark = new Uint8Array(n);
  let total = 0;
  for (let g = 0; g < groupCount; g++) {
    const c = filled[g]!;
    total += c;
    for (let s = 0; s < c; s++) mark[slots[g * k + s]!] = 1;
  }
  const out = new Int32Array(total);
  let j = 0;
  for (let i = 0; i < n; i++) if (mark[i] === 1) out[j++] = i;
  return out;
}

/** rank / dense_rank: every row of a group with fewer than k slots, else every row not worse than its k-th slot. */
export function rowsNotWorse(ids: Int32Array, n: number, k: number, cmp: RowComparator, slots: Int32Array, filled: Int32Array): Int32Array {
  const out = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const g = ids[i]!;
    if (filled[g]! < k || cmp(i, slots[g * k + k - 1]!) <= 0) out[j++] = i;
  }
  return out.subarray(0, j);
}


/** offerRows with the order as one number per row (see numericOrderKey). */
export function offerRowsByKey(
  ids: Int32Array, from: number, n: number, k: number, distinctValues: boolean, key: Float64Array, slots: Int32Array, filled: Int32Array,
): void {
  for (let i = from; i < n; i++) {
    const g = ids[i]!;
    const base = g * k;
    const count = filled[g]!;
    const full = count === k;
    const v = key[i]!;
    if (full && v >= key[slots[base + k - 1]!]!) continue;
    let p = full ? k - 1 : count;
    let tie = false;
    while (p > 0) {
      const w = key[slots[base + p - 1]!]!;
      if (v >= w) { tie = v === w; break; }
      p--;
    }
    if (distinctValues && tie) continue;
    for (let q = full ? k - 1 : count; q > p; q--) slots[base + q] = slots[base + q - 1]!;
    slots[base + p] = i;
    if (!full) filled[g] = count + 1;
  }
}
