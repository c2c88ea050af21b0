/**
 * SortExec sorts its whole partition (stable, multi-key); TopKExec keeps only the best k rows,
 * compacting its buffer whenever it grows past a few times k, so memory stays O(k).
 */
import type { Batch } from "../../batch/column.js";
import type { SortOrder } from "../../expr/ir.js";
import type { Schema } from "../../expr/types.js";
import { batchBytes } from "../../batch/buffers.js";
import { concatBatches } from "../../batch/ops/concat.js";
import { sortPermutation, type SortKey } from "../../batch/ops/sort-permutation.js";
import { takeBatch } from "../../batch/ops/take.js";
import { compileExpr } from "./eval.js";
import type { NodeOf, OperatorEnv } from "./env.js";
import { resourcesExhausted } from "./errors.js";
import { OUTPUT_BATCH_ROWS } from "./hash-aggregate.js";
import { sliceBatch } from "./limit.js";
import { SortRuns } from "./sort-spill.js";

export function sortKeys(order: readonly SortOrder[], batch: Batch): SortKey[] {
  return order.map((o) => ({ column: compileExpr(o.expr, batch.schema).evaluate(batch), ascending: o.ascending, nullsFirst: o.nullsFirst }));
}

export function sortBatch(batch: Batch, order: readonly SortOrder[], limit = Infinity, schema: Schema = batch.schema): Batch {
  const perm = sortPermutation(sortKeys(order, batch), batch.length);
  return takeBatch(batch, perm, Math.min(limit, perm.length), schema);
}

export async function* sortExec(node: NodeOf<"SortExec">, env: OperatorEnv): AsyncIterable<Batch> {
  const { ctx } = env;
  const reservation = ctx.reserve(`SortExec#${node.id}`);
  let runs: SortRuns | undefined;
  try {
    let batches: Batch[] = [];
    for await (const b of env.input(node.input)) {
      ctx.checkCancelled();
      if (b.length === 0) continue;
      const bytes = batchBytes(b) * 2; // the input plus its permuted copy
      if (!reservation.tryGrow(bytes)) {
        if (!ctx.spillEnabled) throw resourcesExhausted("SortExec", ctx, reservation.reserved, bytes);
        if (batches.length > 0) {
          runs ??= await SortRuns.create(ctx, node.id, env.metrics);
          await runs.addRun(sortBatch(concatBatches(batches, batches[0]!.schema), node.order, Infinity, node.schema));
          batches = [];
          reservation.shrink(reservation.reserved);
        }
        reservation.tryGrow(bytes);
      }
      batches.push(b);
    }
    if (runs) {
      if (batches.length > 0) await runs.addRun(sortBatch(concatBatches(batches, batches[0]!.schema), node.order, Infinity, node.schema));
      batches = [];
      reservation.shrink(reservation.reserved);
      yield* runs.merge(node.order, node.schema, () => ctx.checkCancelled());
      return;
    }
    if (batches.length === 0) return;
    const sorted = sortBatch(concatBatches(batches, batches[0]!.schema), node.order, Infinity, node.schema);
    for (let s = 0; s < sorted.length; s += OUTPUT_BATCH_ROWS) yield sliceBatch(sorted, s, s + OUTPUT_BATCH_ROWS);
  } finally {
    reservation.shrink(reservation.reserved);
  }
}

export async function* topKExec(node: NodeOf<"TopKExec">, env: OperatorEnv): AsyncIterable<Batch> {
  if (node.k <= 0) return;
  const threshold = Math.max(node.k * 4, 8192);
  let buffer: Batch[] = [];
  let buffered = 0;
  const compact = (): void => {
    if (buffer.length === 0) return;
    const all = concatBatches(buffer, buffer[0]!.schema);
    const best = sortBatch(all, node.order, node.k, node.schema);
    buffer = [best];
    buffered = best.length;
  };
  for await (const b of env.input(node.input)) {
    env.ctx.checkCancelled();
    if (b.length === 0) continue;
    buffer.push(b);
    buffered += b.length;
    if (buffered > threshold) compact();
  }
  compact();
  if (buffered > 0) yield buffer[0]!;
}
