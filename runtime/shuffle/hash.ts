/**
 * The one hash function of the engine. Every worker and the planner use it, so two datasets
 * hash-partitioned on the same keys into the same count with the same HASH_VERSION are
 * co-partitioned and join without a shuffle. Changing any output of this file is a format change:
 * bump HASH_VERSION (stored data partitioned with an older version must then be reshuffled).
 *
 * Per-column hashes (all 32-bit, unsigned):
 *   int32 / date / bool   murmur3 fmix32 of the value
 *   int64 / timestamp / decimal   values that fit in int32 hash exactly like int32 (so a widened key
 *                         still lands in the same partition); others mix both 32-bit halves
 *   float64               by bits, after normalizing -0 to 0 and every NaN to one NaN
 *   string                murmur3_x86_32 over the UTF-8 bytes; a dictionary column hashes each
 *                         dictionary entry once and gathers by code, giving the same result as utf8
 *   null                  NULL_HASH, whatever the type
 * Columns combine left to right; a single key column's hash is that column's hash.
 */
import type { Column } from "../batch/column.js";
import type { StringColumn } from "../batch/kinds.js";

export const HASH_VERSION = 1;

/** Hash of a null value, in every type. */
export const NULL_HASH = 0x2a5f1c3d;

export function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 64-bit value given as its two little-endian 32-bit halves. */
export function mix64(lo: number, hi: number): number {
  if (hi === lo >> 31) return fmix32(lo); // fits in int32: same as the int32 hash
  return fmix32(lo ^ Math.imul(fmix32(hi) ^ 0x27d4eb2f, 0x165667b1));
}

/** murmur3_x86_32 over bytes[start, end), seed 0. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  let i = start;
  const blockEnd = start + ((end - start) & ~3);
  for (; i < blockEnd; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = end - i;
  if (tail > 0) {
    let k = bytes[i]!;
    if (tail > 1) k ^= bytes[i + 1]! << 8;
    if (tail > 2) k ^= bytes[i + 2]! << 16;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= end - start;
  return fmix32(h);
}

/** Combines the running hash of the previous key columns with the next column's hash. */
export function combineHash(acc: number, next: number): number {
  return fmix32((acc ^ (next + 0x9e3779b9 + (acc << 6) + (acc >>> 2))) | 0);
}

function isNull(validity: Uint8Array | undefined, i: number): boolean {
  return validity !== undefined && (validity[i >>> 3]! & (1 << (i & 7))) === 0;
}

/** Per-row hashes of one column, written into `out` (length rows). */
export function hashColumn(column: Column, length: number, out: Uint32Array): void {
  const t = column.type.kind;
  if (t === "null") {
    out.fill(NULL_HASH, 0, length);
    return;
  }
  if (!("validity" in column)) throw new Error(`hashColumn: unsupported column type ${t}`);
  const validity = column.validity;
  switch (column.type.kind) {
    case "bool":
    case "int32":
    case "date": {
      const v = (column as { values: Uint8Array | Int32Array }).values;
      for (let i = 0; i < length; i++) out[i] = isNull(validity, i) ? NULL_HASH : fmix32(v[i]!);
      return;
    }
    case "int64":
    case "timestamp":
    case "decimal": {
      const v = (column as { values: BigInt64Array }).values;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      for (let i = 0; i < length; i++) out[i] = isNull(validity, i) ? NULL_HASH : mix64(halves[2 * i]!, halves[2 * i + 1]!);
      return;
    }
    case "float64": {
      const v = (column as { values: Float64Array }).values;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      for (let i = 0; i < length; i++) {
        if (isNull(validity, i)) out[i] = NULL_HASH;
        else {
          const x = v[i]!;
          if (x === 0) out[i] = mix64(0, 0);
          else if (x !== x) out[i] = mix64(0, 0x7ff80000);
          else out[i] = mix64(halves[2 * i]!, halves[2 * i + 1]!);
        }
      }
      return;
    }
    case "string": {
      const s = column as StringColumn;
      if (s.encoding === "utf8") {
        for (let i = 0; i < length; i++) out[i] = isNull(validity, i) ? NULL_HASH : hashBytes(s.bytes, s.offsets[i]!, s.offsets[i + 1]!);
      } else {
        const dict = s.dictionary;
        const dictHashes = new Uint32Array(dict.length);
        hashColumn(dict, dict.length, dictHashes);
        const codes = s.codes;
        for (let i = 0; i < length; i++) out[i] = isNull(validity, i) ? NULL_HASH : dictHashes[codes[i]!]!;
      }
      return;
    }
    case "list":
      throw new Error("Cannot hash-partition on a list column; partition on a scalar column instead.");
  }
}

/** Row hashes over several key columns (HASH_VERSION 1). */
export function hashColumns(columns: readonly Column[], length: number): Uint32Array {
  const out = new Uint32Array(length);
  if (columns.length === 0) return out.fill(NULL_HASH);
  hashColumn(columns[0]!, length, out);
  if (columns.length === 1) return out;
  const next = new Uint32Array(length);
  for (let c = 1; c < columns.length; c++) {
    hashColumn(columns[c]!, length, next);
    for (let i = 0; i < length; i++) out[i] = combineHash(out[i]!, next[i]!);
  }
  return out;
}

/** The partition (0 .. n-1) a row with this hash belongs to. */
export function partitionOf(hash: number, n: number): number {
  return (hash >>> 0) % n;
}

/** Partition ids for every row, from hashColumns' output. */
export function partitionIds(hashes: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) out[i] = hashes[i]! % n;
  return out;
}
