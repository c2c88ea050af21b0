/**
 * Map side of a shuffle: splits a task's output batches into one block per reduce partition
 * (hash of the keys with the one hash function, round robin, or range bounds), then stores each
 * block in a SharedArrayBuffer with a checksum, or, past the task's share of shuffle memory
 * (runtime/scheduler/shuffle-memory.ts), in a range of one spill file per map task. Rows are
 * routed with a counting sort of partition ids and a byte-level gather, never as row objects.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Batch, Column } from "../batch/column.js";
import { batchBytes, columnArrays, toSharedByColumn } from "../batch/buffers.js";
import { DictionaryRefs, SpillWriter, type SpillRange } from "../batch/ops/spill-file.js";
import { concatBatches, takeRows } from "../batch/gather.js";
import type { Schema } from "../expr/types.js";
import type { Partitioning } from "../physical/plan.js";
import { partitionCount } from "../physical/plan.js";
import type { ShuffleBlock, ShuffleSpill } from "../worker/protocol.js";
import { checksumBatches } from "./checksum.js";
import { compareRows } from "./compare.js";
import { hashColumns } from "./hash.js";
import { keyEvaluator, type ExprCompiler, type KeyEvaluator } from "./keys.js";

/** Reduce partition of every row of a batch. */
export type Router = (batch: Batch) => Uint32Array;

export function makeRouter(partitioning: Partitioning, schema: Schema, mapPartition: number, bounds: Batch | undefined, compile?: ExprCompiler): Router {
  const n = partitionCount(partitioning);
  switch (partitioning.kind) {
    case "single":
    case "unknown":
      return (b) => new Uint32Array(b.length);
    case "roundRobin": {
      // Start each map partition at a different reducer so small inputs still spread out.
      let next = mapPartition % n;
      return (b) => {
        const out = new Uint32Array(b.length);
        for (let i = 0; i < b.length; i++) {
          out[i] = next;
          next = next + 1 === n ? 0 : next + 1;
        }
        return out;
      };
    }
    case "hash": {
      const keys = keyEvaluator(partitioning.keys, schema, compile);
      return (b) => {
        const h = hashColumns(keys(b), b.length);
        for (let i = 0; i < h.length; i++) h[i] = h[i]! % n;
        return h;
      };
    }
    case "range": {
      if (bounds === undefined) throw new Error("Range shuffle without bounds: the scheduler must sample the keys first.");
      const keys: KeyEvaluator = keyEvaluator(
        partitioning.order.map((o) => o.expr),
        schema,
        compile,
      );
      const order = partitioning.order;
      return (b) => {
        const cols = keys(b);
        const out = new Uint32Array(b.length);
        for (let i = 0; i < b.length; i++) {
          // First bound greater than the row: rows equal to a bound go left of it.
          let lo = 0;
          let hi = bounds.length;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (compareRows(bounds.columns, mid, cols, i, order) < 0) lo = mid + 1;
            else hi = mid;
          }
          out[i] = lo;
        }
        return out;
      };
    }
  }
}

/** Rows per block batch worth a concatenation copy; bigger pieces are kept as they are. */
const TARGET_BATCH_ROWS = 32_768;

/** Concatenates runs of small batches (routing splits input batches into n pieces) up to the target. */
function mergeSmall(batches: readonly Batch[]): Batch[] {
  const out: Batch[] = [];
  let run: Batch[] = [];
  let rows = 0;
  const flush = (): void => {
    if (run.length > 0) out.push(run.length === 1 ? run[0]! : concatBatches(run));
    run = [];
    rows = 0;
  };
  for (const b of batches) {
    if (b.length >= TARGET_BATCH_ROWS) {
      flush();
      out.push(b);
      continue;
    }
    run.push(b);
    rows += b.length;
    if (rows >= TARGET_BATCH_ROWS) flush();
  }
  flush();
  return out;
}

export class ShuffleWriter {
  private readonly parts: Batch[][];
  private readonly route: Router;
  readonly numReduce: number;
  records = 0;

  constructor(partitioning: Partitioning, schema: Schema, mapPartition: number, bounds?: Batch, compile?: ExprCompiler) {
    this.numReduce = partitionCount(partitioning);
    this.parts = Array.from({ length: this.numReduce }, () => []);
    this.route = makeRouter(partitioning, schema, mapPartition, bounds, compile);
  }

  write(batch: Batch): void {
    if (batch.length === 0) return;
    this.records += batch.length;
    if (this.numReduce === 1) {
      this.parts[0]!.push(batch);
      return;
    }
    const ids = this.route(batch);
    const counts = new Uint32Array(this.numReduce + 1);
    for (let i = 0; i < ids.length; i++) counts[ids[i]! + 1]!++;
    for (let p = 0; p < this.numReduce; p++) counts[p + 1]! += counts[p]!;
    const starts = counts.slice(0, this.numReduce);
    const order = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) order[starts[ids[i]!]!++] = i;
    for (let p = 0; p < this.numReduce; p++) {
      const from = counts[p]!;
      const to = counts[p + 1]!;
      if (to > from) this.parts[p]!.push(takeRows(batch, order.subarray(from, to)));
    }
  }

  /** Bytes written to the spill file by finish(). */
  spilledBytes = 0;

  /**
   * The blocks, one per reduce partition, with checksums: in shared memory while the task's
   * memory quota lasts (in reduce partition order), the rest in ranges of `spill.path`.
   *
   * Blocks are copied to shared memory one buffer per column (toSharedByColumn): a join's answer
   * may keep a view of a block's string column (selectAsDictionaryView), and with one buffer per
   * batch that view would keep every other column of the block alive after the shuffle released
   * it (at 1e8 rows, gigabytes of keys and numbers held by an answer that needed only strings).
   */
  async finish(mapPartition: number, spill?: ShuffleSpill): Promise<ShuffleBlock[]> {
    if (spill === undefined) return this.finishInMemory(mapPartition);
    const blocks: ShuffleBlock[] = [];
    let kept = 0;
    let file: SpillWriter | undefined;
    // Dictionaries already in shared memory (a registered table's) are written by reference.
    const refs = new DictionaryRefs(isSharedColumn);
    const onDisk = async (batches: readonly Batch[]): Promise<SpillRange> => {
      try {
        if (file === undefined) {
          await mkdir(dirname(spill.path), { recursive: true });
          file = await SpillWriter.create(spill.path, refs);
        }
        for (const b of batches) await file.write(b);
        return file.endRange();
      } catch (e) {
        throw new Error(`Could not write shuffle blocks to ${spill.path}: ${(e as Error).message}. Free disk space there, or give the session more shuffle memory (shuffleMemory).`);
      }
    };
    try {
      for (let p = 0; p < this.parts.length; p++) {
        const merged = mergeSmall(this.parts[p]!);
        this.parts[p] = [];
        const rows = merged.reduce((s, b) => s + b.length, 0);
        const bytes = merged.reduce((s, b) => s + batchBytes(b), 0);
        if (rows === 0 || kept + bytes <= spill.memoryQuota) {
          kept += bytes;
          const shared = merged.map(toSharedByColumn);
          blocks.push({ mapPartition, batches: shared, rows, bytes, checksum: checksumBatches(shared) });
          continue;
        }
        const range = await onDisk(merged);
        this.spilledBytes += range.length;
        blocks.push({ mapPartition, batches: [], rows, bytes, checksum: range.checksum, file: { path: spill.path, offset: range.offset, length: range.length, dictionaries: refs.list } });
      }
    } finally {
      await file?.close();
    }
    return blocks;
  }

  /** Every block in shared memory (registering a table: nothing there is ever spilled). */
  finishInMemory(mapPartition: number): ShuffleBlock[] {
    return this.parts.map((batches) => {
      const merged = mergeSmall(batches).map(toSharedByColumn);
      const rows = merged.reduce((s, b) => s + b.length, 0);
      const bytes = merged.reduce((s, b) => s + batchBytes(b), 0);
      return { mapPartition, batches: merged, rows, bytes, checksum: checksumBatches(merged) };
    });
  }
}

function isSharedColumn(c: Column): boolean {
  return columnArrays(c).every((a) => a.buffer instanceof SharedArrayBuffer);
}
