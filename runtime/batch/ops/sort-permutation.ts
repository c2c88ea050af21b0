/**
 * Stable multi-key sort of row indices. Each key becomes a specialized (i, j) comparator over
 * typed arrays: int32-like and float64 compare numbers (NaN largest, as Spark), int64 compares
 * two 32-bit words (no BigInt), strings compare UTF-8 bytes (= code point order) and dictionary
 * strings compare the precomputed rank of their dictionary entry.
 */
import type { Column } from "../column.js";
import type { StringColumn, Utf8Column } from "./column-types.js";
import { validFlagsOf } from "./valid-flags.js";

export interface SortKey {
  readonly column: Column;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

export type RowComparator = (i: number, j: number) => number;

function compareUtf8(bytes: Uint8Array, offsets: Int32Array, i: number, j: number): number {
  const as = offsets[i]!, ae = offsets[i + 1]!, bs = offsets[j]!, be = offsets[j + 1]!;
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) { const d = bytes[as + k]! - bytes[bs + k]!; if (d !== 0) return d; }
  return (ae - as) - (be - bs);
}

/** Rank of every dictionary entry in byte order, so rows compare by int. */
export function dictionaryRanks(dict: Utf8Column): Int32Array {
  const idx = new Int32Array(dict.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => compareUtf8(dict.bytes, dict.offsets, a, b));
  const ranks = new Int32Array(dict.length);
  let rank = 0;
  for (let k = 0; k < idx.length; k++) {
    if (k > 0 && compareUtf8(dict.bytes, dict.offsets, idx[k - 1]!, idx[k]!) !== 0) rank++;
    ranks[idx[k]!] = rank;
  }
  return ranks;
}

/** Compares the values of rows i and j (both non-null), ascending. */
export function valueComparator(col: Column): RowComparator {
  switch (col.type.kind) {
    case "null": return () => 0;
    case "bool": case "int32": case "date": {
      const v = (col as { values: Int32Array | Uint8Array }).values;
      return (i, j) => v[i]! - v[j]!;
    }
    case "float64": {
      const v = (col as { values: Float64Array }).values;
      return (i, j) => {
        const a = v[i]!, b = v[j]!;
        if (a < b) return -1;
        if (a > b) return 1;
        if (a === b) return 0;
        return a !== a ? (b !== b ? 0 : 1) : -1; // NaN sorts after every number
      };
    }
    case "int64": case "timestamp": case "decimal": {
      const big = (col as { values: BigInt64Array }).values;
      const w = new Int32Array(big.buffer, big.byteOffset, big.length * 2);
      return (i, j) => {
        const hi = w[2 * i + 1]! - w[2 * j + 1]!;
        if (hi !== 0) return hi;
        return (w[2 * i]! >>> 0) - (w[2 * j]! >>> 0);
      };
    }
    case "string": {
      const s = col as StringColumn;
      if (s.encoding === "dict") {
        const ranks = dictionaryRanks(s.dictionary as Utf8Column);
        const codes = s.codes;
        return (i, j) => ranks[codes[i]!]! - ranks[codes[j]!]!;
      }
      return (i, j) => compareUtf8(s.bytes, s.offsets, i, j);
    }
    case "list":
      throw new Error("cannot sort by a list column");
  }
}

export function keyComparator(key: SortKey): RowComparator {
  const cmp = valueComparator(key.column);
  const valid = validFlagsOf(key.column);
  const sign = key.ascending ? 1 : -1;
  const nullSide = key.nullsFirst ? -1 : 1;
  if (!valid) return key.ascending ? cmp : (i, j) => -cmp(i, j);
  return (i, j) => {
    const a = valid[i]!, b = valid[j]!;
    if (a && b) return sign * cmp(i, j);
    if (a === b) return 0;
    return a ? -nullSide : nullSide;
  };
}

export function rowComparator(keys: readonly SortKey[]): RowComparator {
  const cmps = keys.map(keyComparator);
  if (cmps.length === 1) return cmps[0]!;
  return (i, j) => {
    for (let k = 0; k < cmps.length; k++) { const c = cmps[k]!(i, j); if (c !== 0) return c; }
    return 0;
  };
}

/** Row order 0..length-1 sorted by keys; ties keep input order (stable). */
export function sortPermutation(keys: readonly SortKey[], length: number): Int32Array {
  const perm = new Int32Array(length);
  for (let i = 0; i < length; i++) perm[i] = i;
  if (keys.length === 0) return perm;
  const cmp = rowComparator(keys);
  perm.sort((i, j) => cmp(i, j) || i - j);
  return perm;
}
