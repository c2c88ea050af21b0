/**
 * Splits a table's batches into partitions for the block store: by the hash of key columns when
 * the caller declares hash partitioning (so the claim "co-partitioned" is true), else into
 * contiguous, near-equal row ranges that keep the input order.
 */
import type { Batch } from "../batch/column.js";
import { toShared } from "../batch/buffers.js";
import { sliceView } from "../batch/gather.js";
import type { Schema } from "../expr/types.js";
import type { DataPartitioning } from "../logical/plan.js";
import { ShuffleWriter } from "../shuffle/partitioner.js";

export function partitionTable(batches: readonly Batch[], schema: Schema, partitions: number, partitioning?: DataPartitioning): Batch[][] {
  const n = Math.max(1, Math.floor(partitions));
  if (partitioning !== undefined && partitioning.kind === "hash" && n > 1) {
    const writer = new ShuffleWriter({ kind: "hash", keys: partitioning.keys.map((name) => ({ kind: "Column", name })), n, hashVersion: partitioning.hashVersion }, schema, 0);
    for (const b of batches) writer.write(b);
    return writer.finishInMemory(0).map((block) => [...block.batches]);
  }
  const total = batches.reduce((s, b) => s + b.length, 0);
  const out: Batch[][] = Array.from({ length: n }, () => []);
  let row = 0;
  for (const b of batches) {
    let start = 0;
    while (start < b.length) {
      const p = Math.min(n - 1, Math.floor(((row + start) * n) / Math.max(1, total)));
      const pEnd = Math.ceil(((p + 1) * total) / n);
      const end = Math.min(b.length, pEnd - row);
      const piece = start === 0 && end === b.length ? b : sliceView(b, start, end); // toShared copies it once
      out[p]!.push(toShared(piece));
      start = end;
    }
    row += b.length;
  }
  return out;
}
