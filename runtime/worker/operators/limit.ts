/**
 * Limits stop pulling their input as soon as they have enough rows (returning from the
 * for-await closes the upstream generators, so scans stop reading).
 * LocalLimitExec: first n rows of this partition. GlobalLimitExec: runs over a single partition
 * (after CoalescePartitions) and applies offset + n.
 */
import type { Batch, Column, Validity } from "../../batch/column.js";
import type { StringColumn } from "../../batch/ops/column-types.js";
import { takeColumn } from "../../batch/ops/take.js";
import type { NodeOf, OperatorEnv } from "./env.js";

function sliceValidity(v: Validity, start: number, end: number): Validity {
  if (v === undefined) return undefined;
  const n = end - start;
  if ((start & 7) === 0) return v.slice(start >>> 3, (end + 7) >>> 3);
  const out = new Uint8Array((n + 7) >>> 3);
  for (let i = 0; i < n; i++) { const j = start + i; if ((v[j >>> 3]! >>> (j & 7)) & 1) out[i >>> 3]! |= 1 << (i & 7); }
  return out;
}

/** Rows [start, end) of a column as a copy (copies, not views: batches move between threads by transfer). */
export function sliceColumn(col: Column, start: number, end: number): Column {
  const n = end - start;
  switch (col.type.kind) {
    case "null":
      return { type: col.type, length: n } as Column;
    case "list": {
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = start + i;
      return takeColumn(col, idx);
    }
    case "string": {
      const s = col as StringColumn;
      const validity = sliceValidity(s.validity, start, end);
      if (s.encoding === "dict") return { ...s, length: n, codes: s.codes.slice(start, end), validity };
      const base = s.offsets[start]!;
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = s.offsets[start + i]! - base;
      return { ...s, length: n, offsets, bytes: s.bytes.slice(base, s.offsets[end]!), validity };
    }
    default: {
      const c = col as Extract<Column, { values: unknown }>;
      return { ...c, length: n, values: c.values.slice(start, end), validity: sliceValidity(c.validity, start, end) } as Column;
    }
  }
}

export function sliceBatch(batch: Batch, start: number, end: number): Batch {
  if (start === 0 && end >= batch.length) return batch;
  const e = Math.min(end, batch.length);
  return { schema: batch.schema, length: Math.max(0, e - start), columns: batch.columns.map((c) => sliceColumn(c, start, e)) };
}

async function* limitRows(input: AsyncIterable<Batch>, offset: number, n: number): AsyncIterable<Batch> {
  let skip = offset;
  let remaining = n;
  if (remaining <= 0) return;
  for await (const batch of input) {
    let b = batch;
    if (skip > 0) {
      if (b.length <= skip) { skip -= b.length; continue; }
      b = sliceBatch(b, skip, b.length);
      skip = 0;
    }
    if (b.length > remaining) b = sliceBatch(b, 0, remaining);
    remaining -= b.length;
    if (b.length > 0) yield b;
    if (remaining <= 0) return;
  }
}

export function localLimitExec(node: NodeOf<"LocalLimitExec">, env: OperatorEnv): AsyncIterable<Batch> {
  return limitRows(env.input(node.input), 0, node.n);
}

export function globalLimitExec(node: NodeOf<"GlobalLimitExec">, env: OperatorEnv): AsyncIterable<Batch> {
  return limitRows(env.input(node.input), node.offset, node.n);
}
