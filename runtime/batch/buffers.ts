/**
 * Buffers of a batch: size accounting, the list of ArrayBuffers to transfer with postMessage,
 * and copies into SharedArrayBuffer for read-many data (registered tables, caches, shuffle blocks,
 * broadcasts) that several tasks read without copying.
 */
import type { Batch, Column } from "./column.js";

type AnyTypedArray = Uint8Array | Int32Array | BigInt64Array | Float64Array;

/** Every typed array of a column (values, validity, offsets, bytes, codes, dictionary, child). */
export function columnArrays(column: Column): AnyTypedArray[] {
  const out: AnyTypedArray[] = [];
  const visit = (c: Column): void => {
    if (c.type.kind === "null") return;
    const any = c as Partial<Record<"values" | "validity" | "offsets" | "bytes" | "codes", AnyTypedArray>> & { dictionary?: Column; child?: Column };
    for (const key of ["values", "validity", "offsets", "bytes", "codes"] as const) {
      const a = any[key];
      if (a !== undefined) out.push(a);
    }
    if (any.dictionary !== undefined) visit(any.dictionary);
    if (any.child !== undefined) visit(any.child);
  };
  visit(column);
  return out;
}

/** Bytes held by a batch's arrays (their views, not whole underlying buffers). */
export function batchBytes(batch: Batch): number {
  let n = 0;
  for (const c of batch.columns) for (const a of columnArrays(c)) n += a.byteLength;
  return n;
}

/**
 * ArrayBuffers to pass as postMessage's transferList: deduplicated, SharedArrayBuffers left out
 * (they are shared, not moved). After the post, the sender's arrays have byteLength 0.
 */
export function transferList(batches: Batch | readonly Batch[]): ArrayBuffer[] {
  const list = Array.isArray(batches) ? (batches as readonly Batch[]) : [batches as Batch];
  const seen = new Set<ArrayBuffer>();
  for (const b of list)
    for (const c of b.columns)
      for (const a of columnArrays(c)) if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) seen.add(a.buffer);
  return [...seen];
}

export function isShared(batch: Batch): boolean {
  return batch.columns.every((c) => columnArrays(c).every((a) => a.buffer instanceof SharedArrayBuffer));
}

/** Shared copies of dictionaries, so batches that shared a dictionary still share one after toShared. */
const sharedDictionaries = new WeakMap<Column, Column>();

/**
 * A copy of the batch whose arrays all live in SharedArrayBuffers (copies in one, 8-byte aligned slots), so it
 * can be posted to any number of workers without a copy and without detaching. Treat as read-only.
 * A dictionary is copied once and stays shared by every batch that shared it.
 */
export function toShared(batch: Batch): Batch {
  if (isShared(batch)) return batch;
  // Arrays already in shared memory (codes written there by the dictionary encoder) are kept, not copied.
  let total = 0;
  for (const c of batch.columns) {
    const dict = (c as { dictionary?: Column }).dictionary;
    const skip = dict !== undefined ? new Set(columnArrays(dict)) : undefined;
    for (const a of columnArrays(c)) if (!skip?.has(a) && !(a.buffer instanceof SharedArrayBuffer)) total += (a.byteLength + 7) & ~7;
  }
  const sab = new SharedArrayBuffer(Math.max(total, 8));
  let offset = 0;
  const copy = <T extends AnyTypedArray>(a: T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const ctor = a.constructor as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T;
    const out = new ctor(sab, offset, a.length);
    (out as AnyTypedArray).set(a as never);
    offset += (a.byteLength + 7) & ~7;
    return out;
  };
  const copyColumn = (c: Column): Column => {
    if (c.type.kind === "null") return c;
    const src = c as Record<string, unknown>;
    const out: Record<string, unknown> = { ...src };
    for (const key of ["values", "validity", "offsets", "bytes", "codes"]) {
      const a = src[key] as AnyTypedArray | undefined;
      if (a !== undefined) out[key] = copy(a);
    }
    const dict = src["dictionary"] as Column | undefined;
    if (dict !== undefined) {
      let shared = sharedDictionaries.get(dict);
      if (shared === undefined) {
        shared = columnArrays(dict).every((a) => a.buffer instanceof SharedArrayBuffer) ? dict : toShared({ schema: batch.schema, length: dict.length, columns: [dict] }).columns[0]!;
        sharedDictionaries.set(dict, shared);
      }
      out["dictionary"] = shared;
    }
    if (src["child"] !== undefined) out["child"] = copyColumn(src["child"] as Column);
    return out as unknown as Column;
  };
  return { schema: batch.schema, length: batch.length, columns: batch.columns.map(copyColumn) };
}

/**
 * toShared with one SharedArrayBuffer per column instead of one per batch, for data whose columns
 * are replaced later (registration swaps string columns for dictionary codes): the replaced
 * column's memory is freed with it instead of being pinned by its neighbours.
 */
export function toSharedByColumn(batch: Batch): Batch {
  if (isShared(batch)) return batch;
  return { schema: batch.schema, length: batch.length, columns: batch.columns.map((c) => toShared({ schema: batch.schema, length: batch.length, columns: [c] }).columns[0]!) };
}
