/**
 * Reshaping batches without leaving the columnar layout: slice, gather by row indices (strings
 * are gathered as UTF-8 bytes, never decoded), and concatenation. Results own fresh buffers, so
 * they can be transferred without detaching anything the caller still reads.
 */
import type { Batch, Column } from "./column.js";
import { isValid, setValid, sliceValidity } from "./validity.js";

import type { DictColumn, ListColumn, NullableColumn, Utf8Column, ValuesColumn } from "./kinds.js";

function gatherValidity(validity: Uint8Array | undefined, indices: Uint32Array): Uint8Array | undefined {
  if (validity === undefined) return undefined;
  const out = new Uint8Array((indices.length + 7) >>> 3);
  let nulls = 0;
  for (let i = 0; i < indices.length; i++) {
    if (isValid(validity, indices[i]!)) out[i >>> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return nulls === 0 ? undefined : out;
}

/** Rows `indices` of a column, in that order (indices may repeat). */
export function takeColumn(column: Column, indices: Uint32Array): Column {
  const n = indices.length;
  if (column.type.kind === "null") return { type: column.type, length: n } as Column;
  const validity = gatherValidity((column as NullableColumn).validity, indices);
  if (column.type.kind === "string") {
    const s = column as Utf8Column | DictColumn;
    if (s.encoding === "dict") {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = s.codes[indices[i]!]!;
      return { ...s, length: n, codes, validity };
    }
    const offsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const r = indices[i]!;
      total += s.offsets[r + 1]! - s.offsets[r]!;
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      const r = indices[i]!;
      bytes.set(s.bytes.subarray(s.offsets[r]!, s.offsets[r + 1]!), offsets[i]!);
    }
    return { type: s.type, length: n, encoding: "utf8", offsets, bytes, validity };
  }
  if (column.type.kind === "list") {
    const l = column as ListColumn;
    const offsets = new Int32Array(n + 1);
    const childIdx: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = indices[i]!;
      for (let j = l.offsets[r]!; j < l.offsets[r + 1]!; j++) childIdx.push(j);
      offsets[i + 1] = childIdx.length;
    }
    return { type: l.type, length: n, offsets, child: takeColumn(l.child, Uint32Array.from(childIdx)), validity };
  }
  const c = column as ValuesColumn;
  if (c.values instanceof BigInt64Array) {
    // Reading a BigInt64Array element allocates a BigInt; move the two 32-bit halves instead (~10x faster).
    const values = new BigInt64Array(n);
    const src32 = new Int32Array(c.values.buffer, c.values.byteOffset, c.values.length * 2);
    const out32 = new Int32Array(values.buffer);
    for (let i = 0; i < n; i++) {
      const j = indices[i]! * 2;
      out32[2 * i] = src32[j]!;
      out32[2 * i + 1] = src32[j + 1]!;
    }
    return { ...c, length: n, values, validity } as Column;
  }
  const ctor = c.values.constructor as new (n: number) => Uint8Array | Int32Array | Float64Array;
  const values = new ctor(n);
  const src = c.values as Uint8Array | Int32Array | Float64Array;
  for (let i = 0; i < n; i++) values[i] = src[indices[i]!]!;
  return { ...c, length: n, values, validity } as Column;
}

export function takeRows(batch: Batch, indices: Uint32Array): Batch {
  return { schema: batch.schema, length: indices.length, columns: batch.columns.map((c) => takeColumn(c, indices)) };
}

function sliceColumn(column: Column, start: number, end: number): Column {
  const n = end - start;
  if (column.type.kind === "null") return { type: column.type, length: n } as Column;
  const validity = sliceValidity((column as NullableColumn).validity, start, end);
  if (column.type.kind === "string") {
    const s = column as Utf8Column | DictColumn;
    if (s.encoding === "dict") return { ...s, length: n, codes: s.codes.slice(start, end), validity };
    const base = s.offsets[start]!;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) offsets[i] = s.offsets[start + i]! - base;
    return { type: s.type, length: n, encoding: "utf8", offsets, bytes: s.bytes.slice(base, s.offsets[end]!), validity };
  }
  if (column.type.kind === "list") {
    const l = column as ListColumn;
    const base = l.offsets[start]!;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) offsets[i] = l.offsets[start + i]! - base;
    return { type: l.type, length: n, offsets, child: sliceColumn(l.child, base, l.offsets[end]!), validity };
  }
  const c = column as ValuesColumn;
  return { ...c, length: n, values: c.values.slice(start, end), validity } as Column;
}

/** Rows [start, end) as a batch with its own buffers. */
export function sliceBatch(batch: Batch, start: number, end: number = batch.length): Batch {
  const s = Math.max(0, Math.min(start, batch.length));
  const e = Math.max(s, Math.min(end, batch.length));
  return { schema: batch.schema, length: e - s, columns: batch.columns.map((c) => sliceColumn(c, s, e)) };
}

function viewColumn(column: Column, start: number, end: number): Column {
  const n = end - start;
  if (column.type.kind === "null") return { type: column.type, length: n } as Column;
  const validity = sliceValidity((column as NullableColumn).validity, start, end);
  if (column.type.kind === "string") {
    const s = column as Utf8Column | DictColumn;
    if (s.encoding === "dict") return { ...s, length: n, codes: s.codes.subarray(start, end), validity };
    const base = s.offsets[start]!;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) offsets[i] = s.offsets[start + i]! - base;
    return { type: s.type, length: n, encoding: "utf8", offsets, bytes: s.bytes.subarray(base, s.offsets[end]!), validity };
  }
  if (column.type.kind === "list") return sliceColumn(column, start, end);
  const c = column as ValuesColumn;
  return { ...c, length: n, values: c.values.subarray(start, end), validity } as Column;
}

/**
 * Rows [start, end) sharing the input's value buffers where the layout allows (offsets and
 * validity are rebuilt). Cheap, but the result must not be transferred (that would detach the
 * input): copy it (toShared, sliceBatch) before it leaves the thread.
 */
export function sliceView(batch: Batch, start: number, end: number = batch.length): Batch {
  const s = Math.max(0, Math.min(start, batch.length));
  const e = Math.max(s, Math.min(end, batch.length));
  return { schema: batch.schema, length: e - s, columns: batch.columns.map((c) => viewColumn(c, s, e)) };
}

/** A dictionary column as plain UTF-8 (used when concatenating columns with different dictionaries). */
export function decodeDictionary(column: DictColumn): Utf8Column {
  const dict = column.dictionary;
  const indices = new Uint32Array(column.length);
  for (let i = 0; i < column.length; i++) indices[i] = isValid(column.validity, i) ? column.codes[i]! : 0;
  if (dict.length === 0) {
    return { type: column.type, length: column.length, encoding: "utf8", offsets: new Int32Array(column.length + 1), bytes: new Uint8Array(0), validity: column.validity } as Utf8Column;
  }
  const gathered = takeColumn(dict, indices) as Utf8Column;
  // Null rows must be empty strings, not whatever code 0 points at.
  if (column.validity !== undefined) return takeNullsEmpty(gathered, column.validity);
  return gathered;
}

function takeNullsEmpty(column: Utf8Column, validity: Uint8Array): Utf8Column {
  const n = column.length;
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(column.bytes.length);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (isValid(validity, i)) {
      const a = column.offsets[i]!;
      const b = column.offsets[i + 1]!;
      bytes.set(column.bytes.subarray(a, b), pos);
      pos += b - a;
    }
    offsets[i + 1] = pos;
  }
  return { ...column, offsets, bytes: bytes.slice(0, pos), validity };
}

function concatColumns(parts: readonly Column[]): Column {
  const first = parts[0]!;
  const n = parts.reduce((s, c) => s + c.length, 0);
  if (first.type.kind === "null") return { type: first.type, length: n } as Column;
  const anyNulls = parts.some((c) => c.type.kind === "null" || (c as { validity?: Uint8Array }).validity !== undefined);
  let validity: Uint8Array | undefined;
  if (anyNulls) {
    validity = new Uint8Array((n + 7) >>> 3);
    let row = 0;
    for (const c of parts) {
      const v = c.type.kind === "null" ? new Uint8Array((c.length + 7) >>> 3) : (c as NullableColumn).validity;
      for (let i = 0; i < c.length; i++) setValid(validity, row + i, isValid(v, i));
      row += c.length;
    }
  }
  if (first.type.kind === "string") {
    const strs = parts as readonly (Utf8Column | DictColumn)[];
    const sameDict = strs.every((c) => c.encoding === "dict" && c.dictionary === (first as DictColumn).dictionary);
    if (sameDict) {
      const codes = new Int32Array(n);
      let row = 0;
      for (const c of strs as readonly DictColumn[]) {
        codes.set(c.codes.subarray(0, c.length), row);
        row += c.length;
      }
      return { ...(first as DictColumn), length: n, codes, validity };
    }
    const utf8 = strs.map((c) => (c.encoding === "dict" ? decodeDictionary(c) : c));
    const offsets = new Int32Array(n + 1);
    const total = utf8.reduce((s, c) => s + (c.offsets[c.length]! - c.offsets[0]!), 0);
    const bytes = new Uint8Array(total);
    let row = 0;
    let pos = 0;
    for (const c of utf8) {
      const base = c.offsets[0]!;
      bytes.set(c.bytes.subarray(base, c.offsets[c.length]!), pos);
      for (let i = 1; i <= c.length; i++) offsets[row + i] = pos + c.offsets[i]! - base;
      pos += c.offsets[c.length]! - base;
      row += c.length;
    }
    return { type: first.type, length: n, encoding: "utf8", offsets, bytes, validity };
  }
  if (first.type.kind === "list") {
    const lists = parts as readonly ListColumn[];
    const offsets = new Int32Array(n + 1);
    let row = 0;
    let pos = 0;
    for (const c of lists) {
      const base = c.offsets[0]!;
      for (let i = 1; i <= c.length; i++) offsets[row + i] = pos + c.offsets[i]! - base;
      pos += c.offsets[c.length]! - base;
      row += c.length;
    }
    const children = lists.map((c) => sliceColumn(c.child, c.offsets[0]!, c.offsets[c.length]!));
    return { type: first.type, length: n, offsets, child: concatColumns(children), validity };
  }
  const c0 = first as ValuesColumn;
  const ctor = c0.values.constructor as new (n: number) => typeof c0.values;
  const values = new ctor(n);
  let row = 0;
  for (const c of parts as readonly ValuesColumn[]) {
    values.set(c.values.subarray(0, c.length) as never, row);
    row += c.length;
  }
  return { ...c0, length: n, values, validity } as Column;
}

/** All rows of `batches` as one batch (dictionaries are kept when shared, decoded otherwise). */
export function concatBatches(batches: readonly Batch[]): Batch {
  if (batches.length === 0) throw new Error("concatBatches: no batches (pass at least one, or build an empty batch from the schema)");
  if (batches.length === 1) return batches[0]!;
  const first = batches[0]!;
  const length = batches.reduce((s, b) => s + b.length, 0);
  const columns = first.columns.map((_, i) => concatColumns(batches.map((b) => b.columns[i]!)));
  return { schema: first.schema, length, columns };
}
