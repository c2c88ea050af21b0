/**
 * Row-encoded keys: the values of several key columns of one row as one byte string, so keys of
 * any types group, join and dedupe through one byte-level hash table (the idea of DataFusion's
 * RowConverter). Layout per column: a tag byte (0 null, 1 valid) then the value: bool 1 byte,
 * int32/date 4 bytes, int64/timestamp/decimal/float64 8 bytes (floats normalized so -0 = 0 and all
 * NaNs are one key), string 4-byte length + UTF-8 bytes. Equal keys give equal bytes.
 */
import type { DictColumn, ListColumn, StringColumn, Utf8Column } from "./column-types.js";
import type { Column, Validity } from "../column.js";
import type { DataType } from "../../expr/types.js";
import { isValidAt } from "./validity.js";

export interface EncodedRows {
  readonly length: number;
  /** Row i is bytes[offsets[i] .. offsets[i+1]). */
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}


function fixedWidth(t: DataType): number {
  switch (t.kind) {
    case "null": return 0;
    case "bool": return 1;
    case "int32": case "date": return 4;
    case "int64": case "timestamp": case "decimal": case "float64": return 8;
    case "string": return -1;
    case "list": throw new Error(`a list column cannot be a grouping, join or distinct key; explode it or cast it to a string first`);
  }
}

function stringParts(col: Column): { offsets: Int32Array; bytes: Uint8Array; codes: Int32Array | undefined } {
  const s = col as StringColumn;
  if (s.encoding === "dict") { const d = s.dictionary as Utf8Column; return { offsets: d.offsets, bytes: d.bytes, codes: s.codes }; }
  return { offsets: (s as Utf8Column).offsets, bytes: (s as Utf8Column).bytes, codes: undefined };
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

export function encodeKeys(cols: readonly Column[], length: number): EncodedRows {
  const offsets = new Int32Array(length + 1);
  // Pass 1: row sizes.
  let fixed = 0;
  const lens = new Int32Array(length);
  for (const c of cols) {
    const w = fixedWidth(c.type);
    fixed += 1;
    if (w > 0) {
      const v = (c as { validity: Validity }).validity;
      if (v === undefined) fixed += w;
      else for (let i = 0; i < length; i++) if (isValidAt(v, i)) lens[i] += w;
    } else if (w < 0) {
      const { offsets: so, codes } = stringParts(c);
      const v = (c as { validity: Validity }).validity;
      for (let i = 0; i < length; i++) {
        if (!isValidAt(v, i)) continue;
        const j = codes ? codes[i]! : i;
        lens[i] += 4 + so[j + 1]! - so[j]!;
      }
    }
  }
  for (let i = 0; i < length; i++) offsets[i + 1] = offsets[i]! + fixed + lens[i]!;
  const bytes = new Uint8Array(offsets[length]!);
  const pos = offsets.slice(0, length);
  // Pass 2: values, column by column (monomorphic loops per type).
  for (const c of cols) {
    const kind = c.type.kind;
    if (kind === "null") { for (let i = 0; i < length; i++) bytes[pos[i]!++] = 0; continue; }
    const v = (c as { validity: Validity }).validity;
    if (kind === "string") {
      const { offsets: so, bytes: sb, codes } = stringParts(c);
      for (let i = 0; i < length; i++) {
        let p = pos[i]!;
        if (!isValidAt(v, i)) { bytes[p] = 0; pos[i] = p + 1; continue; }
        const j = codes ? codes[i]! : i;
        const s = so[j]!, e = so[j + 1]!, n = e - s;
        bytes[p++] = 1;
        bytes[p++] = n & 255; bytes[p++] = (n >>> 8) & 255; bytes[p++] = (n >>> 16) & 255; bytes[p++] = n >>> 24;
        for (let k = s; k < e; k++) bytes[p++] = sb[k]!;
        pos[i] = p;
      }
      continue;
    }
    if (kind === "bool") {
      const vals = (c as { values: Uint8Array }).values;
      for (let i = 0; i < length; i++) {
        let p = pos[i]!;
        if (!isValidAt(v, i)) { bytes[p] = 0; pos[i] = p + 1; continue; }
        bytes[p++] = 1; bytes[p++] = vals[i]! ? 1 : 0; pos[i] = p;
      }
      continue;
    }
    if (kind === "int32" || kind === "date") {
      const vals = (c as { values: Int32Array }).values;
      for (let i = 0; i < length; i++) {
        let p = pos[i]!;
        if (!isValidAt(v, i)) { bytes[p] = 0; pos[i] = p + 1; continue; }
        const x = vals[i]!;
        bytes[p++] = 1; bytes[p++] = x & 255; bytes[p++] = (x >>> 8) & 255; bytes[p++] = (x >>> 16) & 255; bytes[p++] = x >>> 24;
        pos[i] = p;
      }
      continue;
    }
    if (kind === "float64") {
      const vals = (c as { values: Float64Array }).values;
      for (let i = 0; i < length; i++) {
        let p = pos[i]!;
        if (!isValidAt(v, i)) { bytes[p] = 0; pos[i] = p + 1; continue; }
        const x = vals[i]!;
        f64[0] = x === 0 ? 0 : x !== x ? NaN : x;
        bytes[p++] = 1;
        for (let k = 0; k < 8; k++) bytes[p++] = f64Bytes[k]!;
        pos[i] = p;
      }
      continue;
    }
    // int64 / timestamp / decimal: copy the 8 bytes through a byte view (no BigInt per row).
    const big = (c as { values: BigInt64Array }).values;
    const raw = new Uint8Array(big.buffer, big.byteOffset, big.length * 8);
    for (let i = 0; i < length; i++) {
      let p = pos[i]!;
      if (!isValidAt(v, i)) { bytes[p] = 0; pos[i] = p + 1; continue; }
      bytes[p++] = 1;
      const s = i * 8;
      for (let k = 0; k < 8; k++) bytes[p++] = raw[s + k]!;
      pos[i] = p;
    }
  }
  return { length, offsets, bytes };
}

/** 32-bit hash of bytes[s..e) (murmur3-style mixing, 4 bytes per step). */
export function hashBytes(bytes: Uint8Array, s: number, e: number): number {
  let h = 0x9747b28c ^ (e - s);
  let i = s;
  for (; i + 4 <= e; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593);
    h ^= k; h = (h << 13) | (h >>> 19); h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let sh = 0; i < e; i++, sh += 8) k |= bytes[i]! << sh;
  k = Math.imul(k, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593); h ^= k;
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

export function hashInt32(x: number): number {
  let h = Math.imul(x, 0xcc9e2d51);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}
