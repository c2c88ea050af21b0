/**
 * Spilling for final/complete aggregation past the memory budget: the in-memory groups are
 * written out as partial state batches, split into SPILL_PARTITIONS files by a hash of the keys,
 * and the table starts empty again. At the end each file is merged on its own (every key lives in
 * exactly one file), so only one file's groups are in memory at a time.
 */
import { join } from "node:path";
import type { Batch } from "../../batch/column.js";
import { encodeKeys, hashBytes } from "../../batch/ops/key-encoding.js";
import { readSpill, SpillWriter } from "../../batch/ops/spill-file.js";
import { takeBatch } from "../../batch/ops/take.js";
import type { OperatorMetricsRecorder, TaskContext } from "../task-context.js";

export const SPILL_PARTITIONS = 8;

export class AggregateSpill {
  private written = 0;
  private constructor(private readonly writers: SpillWriter[], private readonly keyCount: number, private readonly metrics: OperatorMetricsRecorder) {}

  static async create(ctx: TaskContext, nodeId: number, keyCount: number, metrics: OperatorMetricsRecorder): Promise<AggregateSpill> {
    const dir = await ctx.spillDir();
    const writers: SpillWriter[] = [];
    for (let p = 0; p < SPILL_PARTITIONS; p++) writers.push(await SpillWriter.create(join(dir, `agg-${nodeId}-${p}.spill`)));
    return new AggregateSpill(writers, keyCount, metrics);
  }

  /** Writes partial-state rows (keys first) to the file of their key's hash. */
  async add(states: Batch): Promise<void> {
    const n = states.length;
    if (n === 0) return;
    const enc = encodeKeys(states.columns.slice(0, this.keyCount), n);
    const counts = new Int32Array(SPILL_PARTITIONS);
    const part = new Int32Array(n);
    for (let i = 0; i < n; i++) { const p = hashBytes(enc.bytes, enc.offsets[i]!, enc.offsets[i + 1]!) % SPILL_PARTITIONS; part[i] = p; counts[p]!++; }
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      if (counts[p] === 0) continue;
      const idx = new Int32Array(counts[p]!);
      let k = 0;
      for (let i = 0; i < n; i++) if (part[i] === p) idx[k++] = i;
      const w = this.writers[p]!;
      const before = w.size;
      await w.write(takeBatch(states, idx));
      this.written += w.size - before;
      this.metrics.addSpill(w.size - before);
    }
  }

  get bytes(): number { return this.written; }

  /** Closes the files and hands back each one's batches. */
  async *partitions(): AsyncIterable<AsyncIterable<Batch>> {
    for (const w of this.writers) await w.close();
    for (const w of this.writers) if (w.size > 0) yield readSpill(w.path);
  }
}
