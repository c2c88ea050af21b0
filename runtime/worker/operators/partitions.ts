/**
 * Union and coalesce map one output partition onto partitions of their inputs. They run the
 * input subtree as if the task were the input partition (a TaskContext view with another
 * `partition`), so scans and caches below read the right data.
 */
import type { Batch } from "../../batch/column.js";
import { partitionCount } from "../../physical/plan.js";
import type { PhysicalPlan } from "../../physical/plan.js";
import type { TaskContext } from "../task-context.js";
import type { NodeOf, OperatorEnv } from "./env.js";

export function withPartition(ctx: TaskContext, partition: number, numPartitions: number): TaskContext {
  if (partition === ctx.partition && numPartitions === ctx.numPartitions) return ctx;
  return new Proxy(ctx, {
    get(target, prop, receiver) {
      if (prop === "partition") return partition;
      if (prop === "numPartitions") return numPartitions;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export type RunWithContext = (child: PhysicalPlan, ctx: TaskContext) => AsyncIterable<Batch>;

/**
 * UnionExec: when every input has as many partitions as the union, partition p reads partition p
 * of each input; otherwise the union's partitions are the inputs' partitions one after another.
 */
export async function* unionExec(node: NodeOf<"UnionExec">, env: OperatorEnv, run: RunWithContext): AsyncIterable<Batch> {
  const { ctx } = env;
  const counts = node.inputs.map((i) => partitionCount(i.outputPartitioning));
  const zip = counts.every((c) => c === ctx.numPartitions);
  let offset = 0;
  for (let k = 0; k < node.inputs.length; k++) {
    const child = node.inputs[k]!;
    const local = zip ? ctx.partition : ctx.partition - offset;
    offset += counts[k]!;
    if (local < 0 || local >= counts[k]!) continue;
    for await (const batch of run(child, withPartition(ctx, local, counts[k]!))) {
      env.metrics.addRowsIn(batch.length);
      yield { schema: node.schema, length: batch.length, columns: batch.columns };
    }
  }
}

/** CoalescePartitionsExec: output partition p reads a contiguous range of input partitions. */
export async function* coalesceExec(node: NodeOf<"CoalescePartitionsExec">, env: OperatorEnv, run: RunWithContext): AsyncIterable<Batch> {
  const { ctx } = env;
  if (node.input.kind === "ShuffleExchangeExec") {
    // The scheduler ships this task the shuffle blocks of all partitions it coalesces.
    for await (const batch of run(node.input, ctx)) { env.metrics.addRowsIn(batch.length); yield batch; }
    return;
  }
  const m = partitionCount(node.input.outputPartitioning);
  const n = Math.max(1, ctx.numPartitions);
  const from = Math.floor((ctx.partition * m) / n);
  const to = Math.floor(((ctx.partition + 1) * m) / n);
  for (let p = from; p < to; p++) {
    for await (const batch of run(node.input, withPartition(ctx, p, m))) {
      env.metrics.addRowsIn(batch.length);
      yield batch;
    }
  }
}
