/**
 * Grace hash join for a partitioned join whose build side does not fit the memory budget: both
 * sides are split into JOIN_SPILL_PARTITIONS files by a hash of their join keys (row-encoded, so
 * equal keys of either side land in the same file), then each pair of files is joined in memory.
 * Every key lives in one pair, so all join types, unmatched rows and conditions stay correct.
 */
import { join } from "node:path";
import type { Batch } from "../../batch/column.js";
import type { Expr } from "../../expr/ir.js";
import { encodeKeys, hashBytes } from "../../batch/ops/key-encoding.js";
import { readSpill, SpillWriter } from "../../batch/ops/spill-file.js";
import { takeBatch } from "../../batch/ops/take.js";
import type { OperatorMetricsRecorder, TaskContext } from "../task-context.js";
import { compileExpr } from "./eval.js";

export const JOIN_SPILL_PARTITIONS = 8;

class PartitionedFiles {
  constructor(readonly writers: SpillWriter[], private readonly keys: readonly Expr[], private readonly metrics: OperatorMetricsRecorder) {}

  async add(batch: Batch): Promise<void> {
    const n = batch.length;
    if (n === 0) return;
    const enc = encodeKeys(this.keys.map((e) => compileExpr(e, batch.schema).evaluate(batch)), n);
    const part = new Int32Array(n);
    const counts = new Int32Array(JOIN_SPILL_PARTITIONS);
    for (let i = 0; i < n; i++) { const p = hashBytes(enc.bytes, enc.offsets[i]!, enc.offsets[i + 1]!) % JOIN_SPILL_PARTITIONS; part[i] = p; counts[p]!++; }
    for (let p = 0; p < JOIN_SPILL_PARTITIONS; p++) {
      if (counts[p] === 0) continue;
      const idx = new Int32Array(counts[p]!);
      let k = 0;
      for (let i = 0; i < n; i++) if (part[i] === p) idx[k++] = i;
      const w = this.writers[p]!, before = w.size;
      await w.write(takeBatch(batch, idx));
      this.metrics.addSpill(w.size - before);
    }
  }

  async close(): Promise<void> { for (const w of this.writers) await w.close(); }
}

export class JoinSpill {
  private constructor(readonly build: PartitionedFiles, readonly probe: PartitionedFiles) {}

  static async create(ctx: TaskContext, nodeId: number, buildKeys: readonly Expr[], probeKeys: readonly Expr[], metrics: OperatorMetricsRecorder): Promise<JoinSpill> {
    const dir = await ctx.spillDir();
    const open = async (side: string) => {
      const ws: SpillWriter[] = [];
      for (let p = 0; p < JOIN_SPILL_PARTITIONS; p++) ws.push(await SpillWriter.create(join(dir, `join-${nodeId}-${side}-${p}.spill`)));
      return ws;
    };
    return new JoinSpill(new PartitionedFiles(await open("build"), buildKeys, metrics), new PartitionedFiles(await open("probe"), probeKeys, metrics));
  }

  /** Pairs of (build batches, probe stream), one per partition. */
  async *partitions(): AsyncIterable<{ build: Batch[]; probe: AsyncIterable<Batch> }> {
    await this.build.close();
    await this.probe.close();
    for (let p = 0; p < JOIN_SPILL_PARTITIONS; p++) {
      const build: Batch[] = [];
      if (this.build.writers[p]!.size > 0) for await (const b of readSpill(this.build.writers[p]!.path)) build.push(b);
      const probePath = this.probe.writers[p]!.size > 0 ? this.probe.writers[p]!.path : undefined;
      yield { build, probe: probePath ? readSpill(probePath) : (async function* () {})() };
    }
  }
}
