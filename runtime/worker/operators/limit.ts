/**
 * Limits stop pulling their input as soon as they have enough rows (returning from the
 * for-await closes the upstream generators, so scans stop reading).
 * LocalLimitExec: first n rows of this partition. GlobalLimitExec: runs over a single partition
 * (after CoalescePartitions) and applies offset + n.
 */
import type { Batch, Column } from "../../batch/column.js";
import { takeColumn } from "../../batch/ops/take.js";
import type { NodeOf, OperatorEnv } from "./env.js";

export function sliceColumn(col: Column, start: number, end: number): Column {
  const idx = new Int32Array(end - start);
  for (let i = 0; i < idx.length; i++) idx[i] = start + i;
  return takeColumn(col, idx);
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
