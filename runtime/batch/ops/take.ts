/**
 * Gather: build a column from rows of another by index. Index -1 produces a null row (outer
 * joins, lag/lead). Works on bytes and typed arrays only; strings are never decoded.
 */
import type { DictColumn, ListColumn, StringColumn, Utf8Column } from "./column-types.js";
import type { Batch, Column, Validity } from "../column.js";
import type { Schema } from "../../expr/types.js";
import { bitmapBytes, isValidAt } from "./validity.js";


/**
 * Validity of the gathered rows; undefined when none is null. `mayPad` = idx may hold -1 (the
 * caller knows when it cannot, so columns without nulls skip the scan).
 */
function gatherValidity(validity: Validity, idx: Int32Array, n: number, mayPad = true, pads?: Uint8Array): Validity {
  let anyNull = false;
  if (validity === undefined) {
    if (!mayPad) return undefined;
    if (pads !== undefined) return pads;
    for (let i = 0; i < n; i++) if (idx[i]! < 0) { anyNull = true; break; }
  } else {
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      if (j < 0 || (validity[j >>> 3]! & (1 << (j & 7))) === 0) { anyNull = true; break; }
    }
  }
  if (!anyNull) return undefined;
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    if (j >= 0 && isValidAt(validity, j)) out[i >>> 3]! |= 1 << (i & 7);
  }
  return out;
}

/**
 * The validity of any column without nulls of its own gathered by idx[0..n): bit i clear where
 * idx[i] is -1. Built 8 rows per byte without branches; one index list computes it once and all
 * its columns share it (bitmaps are never written after they are built).
 */
function padValidity(idx: Int32Array, n: number): Uint8Array {
  const out = new Uint8Array(bitmapBytes(n));
  const whole = n >>> 3;
  for (let b = 0; b < whole; b++) {
    const i = b << 3;
    out[b] = (((idx[i]! >>> 31) ^ 1) | (((idx[i + 1]! >>> 31) ^ 1) << 1) | (((idx[i + 2]! >>> 31) ^ 1) << 2) | (((idx[i + 3]! >>> 31) ^ 1) << 3)
      | (((idx[i + 4]! >>> 31) ^ 1) << 4) | (((idx[i + 5]! >>> 31) ^ 1) << 5) | (((idx[i + 6]! >>> 31) ^ 1) << 6) | (((idx[i + 7]! >>> 31) ^ 1) << 7));
  }
  for (let i = whole << 3; i < n; i++) if (idx[i]! >= 0) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

/** idx[0..n) with -1 as 0: codes into the source rows, whose padded rows the validity hides. */
function codesOf(idx: Int32Array, n: number): Int32Array {
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) { const j = idx[i]!; codes[i] = j & ~(j >> 31); }
  return codes;
}

/** True when some idx[0..n) is -1 (a padded row). */
function hasPadding(idx: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (idx[i]! < 0) return true;
  return false;
}

// One gather loop per array type keeps each loop monomorphic (V8 optimizes them separately). Each
// has a loop without the -1 test for index lists known to hold no padding (the common case).
function gatherF64(src: Float64Array, idx: Int32Array, n: number, mayPad: boolean): Float64Array {
  const out = new Float64Array(n);
  if (!mayPad) { for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!; return out; }
  for (let i = 0; i < n; i++) { const j = idx[i]!; if (j >= 0) out[i] = src[j]!; }
  return out;
}
function gatherI32(src: Int32Array, idx: Int32Array, n: number, mayPad: boolean): Int32Array {
  const out = new Int32Array(n);
  if (!mayPad) { for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!; return out; }
  for (let i = 0; i < n; i++) { const j = idx[i]!; if (j >= 0) out[i] = src[j]!; }
  return out;
}
function gatherU8(src: Uint8Array, idx: Int32Array, n: number, mayPad: boolean): Uint8Array {
  const out = new Uint8Array(n);
  if (!mayPad) { for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!; return out; }
  for (let i = 0; i < n; i++) { const j = idx[i]!; if (j >= 0) out[i] = src[j]!; }
  return out;
}
function gatherI64(src: BigInt64Array, idx: Int32Array, n: number): BigInt64Array {
  // Copy the two 32-bit words of each value: no BigInt is created per row.
  const out = new BigInt64Array(n);
  const s = new Int32Array(src.buffer, src.byteOffset, src.length * 2), o = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) { const j = idx[i]!; if (j >= 0) { o[2 * i] = s[2 * j]!; o[2 * i + 1] = s[2 * j + 1]!; } }
  return out;
}

function gatherUtf8(col: Utf8Column, idx: Int32Array, n: number, mayPad = true, pads?: Uint8Array): Utf8Column {
  // Locals, not col.offsets/col.bytes in the loops: columns arrive in many object shapes (structured
  // clone, spreads), and a megamorphic property load per byte made this loop ~10x slower.
  const srcOffsets = col.offsets, srcBytes = col.bytes;
  const offsets = new Int32Array(n + 1);
  // The first pass keeps each row's source start, so the copy does not look the (randomly placed)
  // source offsets up again: in a join's gather every lookup can be a cache miss.
  const starts = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    if (j >= 0) { const s = srcOffsets[j]!; starts[i] = s; total += srcOffsets[j + 1]! - s; }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  // Four bytes per step through DataViews (unaligned access is fine there), then the tail bytes;
  // long values in one native copy. ~1.8x faster than a byte loop on 12-byte ids.
  const src = new DataView(srcBytes.buffer, srcBytes.byteOffset, srcBytes.byteLength), dst = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    let o = offsets[i]!;
    const len = offsets[i + 1]! - o;
    if (len === 0) continue;
    let s = starts[i]!;
    const e = s + len;
    if (len >= 64) { bytes.set(srcBytes.subarray(s, e), o); continue; }
    for (; s + 4 <= e; s += 4, o += 4) dst.setInt32(o, src.getInt32(s, true), true);
    for (; s < e; s++) bytes[o++] = srcBytes[s]!;
  }
  return { type: col.type, length: n, encoding: "utf8", offsets, bytes, validity: gatherValidity(col.validity, idx, n, mayPad, pads) };
}

function gatherCodes(src: Int32Array, idx: Int32Array, n: number, mayPad: boolean): Int32Array {
  const out = new Int32Array(n);
  if (!mayPad) { for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!; return out; }
  for (let i = 0; i < n; i++) { const j = idx[i]!; if (j >= 0) out[i] = src[j]!; }
  return out;
}

/**
 * Rows `idx[0..n)` of `col` (n defaults to idx.length); -1 = null. The one gather of the engine:
 * joins, sorts, shuffles and the driver all use it. Dictionary columns gather their int32 codes and
 * keep the dictionary; strings are copied as bytes, never decoded.
 */
export function takeColumn(col: Column, idx: Int32Array, n: number = idx.length, mayPad = true, pads?: Uint8Array): Column {
  switch (col.type.kind) {
    case "null":
      return { type: col.type, length: n };
    case "bool": case "int32": case "date": case "int64": case "timestamp": case "decimal": case "float64": {
      const src = (col as { values: Uint8Array | Int32Array | BigInt64Array | Float64Array }).values;
      const validity = gatherValidity((col as { validity: Validity }).validity, idx, n, mayPad, pads);
      const values = src instanceof Float64Array ? gatherF64(src, idx, n, mayPad)
        : src instanceof Int32Array ? gatherI32(src, idx, n, mayPad)
        : src instanceof BigInt64Array ? gatherI64(src, idx, n)
        : gatherU8(src, idx, n, mayPad);
      return { ...(col as object), length: n, values, validity } as Column;
    }
    case "string": {
      const s = col as StringColumn;
      if (s.encoding === "dict") {
        const validity = gatherValidity(s.validity, idx, n, mayPad, pads);
        return { type: s.type, length: n, encoding: "dict", codes: gatherCodes(s.codes, idx, n, mayPad), dictionary: s.dictionary, validity };
      }
      return gatherUtf8(s, idx, n, mayPad, pads);
    }
    case "list": {
      const l = col as ListColumn;
      const validity = gatherValidity(l.validity, idx, n, mayPad);
      const srcOffsets = l.offsets;
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) { const j = idx[i]!; if (j >= 0) total += srcOffsets[j + 1]! - srcOffsets[j]!; offsets[i + 1] = total; }
      const childIdx = new Int32Array(total);
      let o = 0;
      for (let i = 0; i < n; i++) { const j = idx[i]!; if (j < 0) continue; for (let k = srcOffsets[j]!; k < srcOffsets[j + 1]!; k++) childIdx[o++] = k; }
      return { type: l.type, length: n, offsets, child: takeColumn(l.child, childIdx), validity };
    }
  }
}

export function takeBatch(batch: Batch, idx: Int32Array, n: number = idx.length, schema: Schema = batch.schema): Batch {
  const mayPad = hasPadding(idx, n); // once per batch, not once per column
  const pads = mayPad ? padValidity(idx, n) : undefined;
  return { schema, length: n, columns: batch.columns.map((c) => takeColumn(c, idx, n, mayPad, pads)) };
}

/**
 * Columns gathered by one index list (scanned for -1 once); the join's output assembly. With
 * `dictionaryUpTo`, UTF-8 columns of at most that many rows come out as dictionary columns over
 * themselves (takeAsDictionary) instead of copying their bytes into every output row.
 */
export function takeColumns(columns: readonly Column[], idx: Int32Array, n: number = idx.length, dictionaryUpTo = 0): Column[] {
  const mayPad = hasPadding(idx, n);
  // Shared by the columns of this call: the pad bitmap (columns without nulls of their own) and the
  // dictionary codes (every dictionary view of this index list has the same codes).
  const pads = mayPad ? padValidity(idx, n) : undefined;
  let codes: Int32Array | undefined;
  return columns.map((c) => {
    if (c.length <= dictionaryUpTo && "encoding" in c && c.encoding === "utf8") {
      codes ??= codesOf(idx, n);
      return takeAsDictionary(c, idx, n, mayPad, codes, pads);
    }
    return takeColumn(c, idx, n, mayPad, pads);
  });
}

/**
 * Rows idx[0..n) of a UTF-8 column as a dictionary column whose dictionary is the source column
 * itself (codes = idx): no string bytes move. For a small source gathered into many rows (a join's
 * dimension side); consumers map a dictionary once per batch, and duplicates in it are fine.
 */
export function takeAsDictionary(col: Utf8Column, idx: Int32Array, n: number = idx.length, mayPad = true, codes: Int32Array = codesOf(idx, n), pads?: Uint8Array): DictColumn {
  const dictionary: Utf8Column = col.validity === undefined ? col : { ...col, validity: undefined };
  return { type: col.type, length: n, encoding: "dict", codes, dictionary, validity: gatherValidity(col.validity, idx, n, mayPad, pads) };
}

/**
 * Rows sel[0..n) of a UTF-8 column that lives in shared memory, as a dictionary column over a view
 * of the source rows [sel[0], sel[n-1]] (codes = sel - sel[0]): the string bytes stay where they
 * are, only int32 codes (and the range's rebased offsets) are written. sel must be ascending with
 * no -1 (a filter's selection, such as a join's matched probe rows). Undefined when the bytes are
 * not shared (a view of a transferable buffer would detach it when the batch leaves the thread) or
 * when fewer than half of the range's rows are selected (the dictionary would outweigh the rows
 * every consumer maps per batch): gather the bytes then.
 */
export function selectAsDictionaryView(col: Utf8Column, sel: Int32Array, n: number = sel.length): DictColumn | undefined {
  if (n === 0 || !(col.bytes.buffer instanceof SharedArrayBuffer)) return undefined;
  const lo = sel[0]!, hi = sel[n - 1]! + 1;
  if (2 * n < hi - lo) return undefined;
  const srcOffsets = col.offsets;
  const base = srcOffsets[lo]!;
  const offsets = new Int32Array(hi - lo + 1);
  for (let i = 0; i <= hi - lo; i++) offsets[i] = srcOffsets[lo + i]! - base;
  const dictionary: Utf8Column = { type: col.type, length: hi - lo, encoding: "utf8", offsets, bytes: col.bytes.subarray(base, srcOffsets[hi]!), validity: undefined };
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = sel[i]! - lo;
  return { type: col.type, length: n, encoding: "dict", codes, dictionary, validity: gatherValidity(col.validity, sel, n, false) };
}

/**
 * Rows sel[0..n) of each column, for an ascending selection without -1 (a filter's survivors):
 * no padding scans, and UTF-8 columns in shared memory come out as dictionary views over their
 * source rows (selectAsDictionaryView) instead of copies of their bytes.
 */
export function selectColumns(columns: readonly Column[], sel: Int32Array, n: number = sel.length): Column[] {
  return columns.map((c) => ("encoding" in c && c.encoding === "utf8" ? selectAsDictionaryView(c, sel, n) : undefined) ?? takeColumn(c, sel, n, false));
}

/** A dictionary-encoded string column as plain UTF-8 (dictionaries differ between batches). */
export function decodeDictionary(col: Column): Column {
  if (col.type.kind !== "string" || (col as { encoding: string }).encoding !== "dict") return col;
  const d = col as DictColumn;
  const codes = d.codes, validity = d.validity;
  if (validity === undefined) return gatherUtf8(d.dictionary as Utf8Column, codes, d.length, false);
  const idx = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) idx[i] = isValidAt(validity, i) ? codes[i]! : -1;
  return gatherUtf8(d.dictionary as Utf8Column, idx, d.length);
}

/** An all-null column of `type` with `length` rows (outer-join padding, empty inputs). */
export function nullColumn(type: Column["type"], length: number): Column {
  return takeColumn(emptyColumn(type), new Int32Array(length).fill(-1), length);
}

export function emptyColumn(type: Column["type"]): Column {
  switch (type.kind) {
    case "null": return { type: type as never, length: 0 };
    case "bool": return { type: type as never, length: 0, values: new Uint8Array(0), validity: undefined };
    case "int32": case "date": return { type: type as never, length: 0, values: new Int32Array(0), validity: undefined };
    case "int64": case "timestamp": case "decimal": return { type: type as never, length: 0, values: new BigInt64Array(0), validity: undefined };
    case "float64": return { type: type as never, length: 0, values: new Float64Array(0), validity: undefined };
    case "string": return { type: type as never, length: 0, encoding: "utf8", offsets: new Int32Array(1), bytes: new Uint8Array(0), validity: undefined };
    case "list": return { type: type as never, length: 0, offsets: new Int32Array(1), child: emptyColumn(type.element), validity: undefined };
  }
}

export function emptyBatch(schema: Schema): Batch {
  return { schema, length: 0, columns: schema.fields.map((f) => emptyColumn(f.type)) };
}
