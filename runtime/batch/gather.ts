/**
 * Reshaping batches without leaving the columnar layout: slice, gather by row indices (strings
 * are gathered as UTF-8 bytes, never decoded), and concatenation. Results own fresh buffers, so
 * they can be transferred without detaching anything the caller still reads.
 */
import type { Batch, Column } from "./column.js";
import { sliceValidity } from "./validity.js";
import type { DictColumn, ListColumn, NullableColumn, Utf8Column, ValuesColumn } from "./kinds.js";
import { decodeDictionary as decodeOne, takeBatch, takeColumn as takeOne } from "./ops/take.js";
import { concatBatches as concatAll } from "./ops/concat.js";

/** Rows `indices` of a column, in that order (indices may repeat); the engine's one gather (ops/take). */
export function takeColumn(column: Column, indices: Uint32Array): Column {
  return takeOne(column, asIndex(indices), indices.length, false);
}

export function takeRows(batch: Batch, indices: Uint32Array): Batch {
  return takeBatch(batch, asIndex(indices));
}

/** Row indices are < 2^31, so the same memory read as int32 never looks like a -1 pad. */
function asIndex(indices: Uint32Array): Int32Array {
  return new Int32Array(indices.buffer, indices.byteOffset, indices.length);
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

/** A dictionary column as plain UTF-8 (null rows are empty strings). */
export function decodeDictionary(column: DictColumn): Utf8Column {
  return decodeOne(column) as Utf8Column;
}

/** All rows of `batches` as one batch (dictionaries are kept when shared, decoded otherwise). */
export function concatBatches(batches: readonly Batch[]): Batch {
  if (batches.length === 0) throw new Error("concatBatches: no batches (pass at least one, or build an empty batch from the schema)");
  if (batches.length === 1) return batches[0]!;
  return concatAll(batches, batches[0]!.schema);
}
