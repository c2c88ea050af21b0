/**
 * The slot arrays of WindowGroupLimitExec: for each group id g, slots[g*k .. g*k+filled[g]) hold
 * the row numbers of the group's best rows so far, best first. Rows are offered once; survivors
 * are chosen from the slots; slots are renumbered when the survivors are gathered.
 */
import type { Batch } from "../../batch/column.js";
import type { RowComparator } from "../../batch/ops/sort-permutation.js";
import { validFlagsOf } from "../../batch/ops/valid-flags.js";
import type { SortOrder } from "../../expr/ir.js";
import type { Schema } from "../../expr/types.js";
import { compileExpr, type CompiledExpr } from "./eval.js";

/** The order's one key when numericOrderKey can apply at all (a single key of a number type). */
export function numericOrderExpr(order: readonly SortOrder[], schema: Schema): CompiledExpr | undefined {
  if (order.length !== 1) return undefined;
  const compiled = compileExpr(order[0]!.expr, schema);
  const kind = compiled.type.kind;
  return kind === "int32" || kind === "date" || kind === "float64" ? compiled : undefined;
}

/**
 * One order key as a number per row where smaller = better, when that is exact: a single
 * int32/date/float64 key with no NaN or infinity in this batch (undefined otherwise: those and
 * nulls would need more than one number). Nulls become -Infinity (nulls first) or +Infinity.
 */
export function numericOrderKey(expr: CompiledExpr, o: SortOrder, batch: Batch): Float64Array | undefined {
  const col = expr.evaluate(batch);
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


/**
 * offerRows with the order as one number per row (see numericOrderKey): key[i - from] is row i's
 * key, and slotKeys beside the slots hold the kept rows' keys. An empty slot's key is NaN, which
 * no key compares >= to, so empty slots fill from the front without reading a count, and a row
 * that cannot enter costs one read of its group's worst key. Call countFilled afterwards.
 */
export function offerRowsByKey(
  ids: Int32Array, from: number, n: number, k: number, distinctValues: boolean, key: Float64Array, slots: Int32Array, slotKeys: Float64Array,
): void {
  for (let i = from; i < n; i++) {
    const base = ids[i]! * k;
    const v = key[i - from]!;
    if (v >= slotKeys[base + k - 1]!) continue;
    let p = k - 1;
    let tie = false;
    while (p > 0) {
      const w = slotKeys[base + p - 1]!;
      if (v >= w) { tie = v === w; break; }
      p--;
    }
    if (distinctValues && tie) continue;
    for (let q = k - 1; q > p; q--) {
      slots[base + q] = slots[base + q - 1]!;
      slotKeys[base + q] = slotKeys[base + q - 1]!;
    }
    slots[base + p] = i;
    slotKeys[base + p] = v;
  }
}

/** filled[g] = the number of non-empty (non-NaN) slot keys of group g. */
export function countFilled(slotKeys: Float64Array, filled: Int32Array, groupCount: number, k: number): void {
  for (let g = 0; g < groupCount; g++) {
    let c = 0;
    while (c < k && slotKeys[g * k + c] === slotKeys[g * k + c]) c++;
    filled[g] = c;
  }
}

/** rowsNotWorse by keys: keys[i] is row i's key (kept rows then new ones). */
export function rowsNotWorseByKey(ids: Int32Array, n: number, k: number, keys: Float64Array, slotKeys: Float64Array, filled: Int32Array): Int32Array {
  const out = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const g = ids[i]!;
    if (filled[g]! < k || keys[i]! <= slotKeys[g * k + k - 1]!) out[j++] = i;
  }
  return out.subarray(0, j);
}

export function gatherFloats(values: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = values[idx[j]!]!;
  return out;
}

export function concatArrays<T extends Int32Array | Float64Array>(parts: readonly T[], total: number, make: (n: number) => T): T {
  const out = make(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
