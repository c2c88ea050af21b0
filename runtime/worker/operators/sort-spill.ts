/**
 * External sort: sorted runs are written to spill files in small batches, then merged by
 * repeatedly sorting the current head batch of every run together and emitting the rows up to the
 * first run's last row (nothing unread can sort before it). Leftover rows stay with their run, and
 * only runs whose head was used up read their next batch, so memory stays about runs x batch.
 */
import { join } from "node:path";
import type { Batch } from "../../batch/column.js";
import type { SortOrder } from "../../expr/ir.js";
import type { Schema } from "../../expr/types.js";
import { concatBatches } from "../../batch/ops/concat.js";
import { sortPermutation } from "../../batch/ops/sort-permutation.js";
import { readSpill, SpillWriter } from "../../batch/ops/spill-file.js";
import { takeBatch } from "../../batch/ops/take.js";
import type { OperatorMetricsRecorder, TaskContext } from "../task-context.js";
import { sliceBatch } from "./limit.js";
import { sortKeys } from "./sort.js";

export const RUN_BATCH_ROWS = 8192;

export class SortRuns {
  private readonly paths: string[] = [];
  private constructor(private readonly dir: string, private readonly nodeId: number, private readonly metrics: OperatorMetricsRecorder) {}

  static async create(ctx: TaskContext, nodeId: number, metrics: OperatorMetricsRecorder): Promise<SortRuns> {
    return new SortRuns(await ctx.spillDir(), nodeId, metrics);
  }

  get count(): number { return this.paths.length; }

  async addRun(sorted: Batch): Promise<void> {
    const w = await SpillWriter.create(join(this.dir, `sort-${this.nodeId}-${this.paths.length}.spill`));
    for (let s = 0; s < sorted.length; s += RUN_BATCH_ROWS) await w.write(sliceBatch(sorted, s, s + RUN_BATCH_ROWS));
    await w.close();
    this.metrics.addSpill(w.size);
    this.paths.push(w.path);
  }

  async *merge(order: readonly SortOrder[], schema: Schema, checkCancelled: () => void): AsyncIterable<Batch> {
    const its = this.paths.map((p) => readSpill(p)[Symbol.asyncIterator]());
    const k = its.length;
    const heads: (Batch | undefined)[] = new Array<Batch | undefined>(k).fill(undefined);
    const exhausted = new Uint8Array(k);
    for (;;) {
      checkCancelled();
      for (let r = 0; r < k; r++) {
        if ((heads[r]?.length ?? 0) > 0 || exhausted[r]) continue;
        const next = await its[r]!.next();
        if (next.done) exhausted[r] = 1;
        else heads[r] = { ...next.value, schema };
      }
      const live: number[] = [];
      for (let r = 0; r < k; r++) if ((heads[r]?.length ?? 0) > 0) live.push(r);
      if (live.length === 0) return;
      const all = concatBatches(live.map((r) => heads[r]!), schema);
      const runOf = new Int32Array(all.length);
      const lastRow: number[] = [];
      let o = 0;
      for (const r of live) { runOf.fill(r, o, o + heads[r]!.length); o += heads[r]!.length; lastRow.push(o - 1); }
      const perm = sortPermutation(sortKeys(order, all), all.length);
      const rank = new Int32Array(all.length);
      for (let i = 0; i < perm.length; i++) rank[perm[i]!] = i;
      let bound = all.length - 1;
      live.forEach((r, j) => { if (!exhausted[r]) bound = Math.min(bound, rank[lastRow[j]!]!); });
      yield takeBatch(all, perm.subarray(0, bound + 1), bound + 1, schema);
      // Rows past the bound go back to their run, still in sorted order.
      const rest = perm.subarray(bound + 1);
      for (const r of live) {
        let n = 0;
        for (let i = 0; i < rest.length; i++) if (runOf[rest[i]!] === r) n++;
        const idx = new Int32Array(n);
        let m = 0;
        for (let i = 0; i < rest.length; i++) if (runOf[rest[i]!] === r) idx[m++] = rest[i]!;
        heads[r] = n > 0 ? takeBatch(all, idx, n, schema) : undefined;
      }
    }
  }
}
