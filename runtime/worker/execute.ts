/**
 * Runs a physical plan fragment for one task: dispatches on node.kind to the operator in
 * ./operators, wires children through the TaskContext (exchanges and broadcasts are stage
 * inputs, not operators here), and records per-operator metrics (rows in/out, batches, time).
 */
import type { Batch } from "../batch/column.js";
import type { PhysicalPlan } from "../physical/plan.js";
import type { OperatorMetricsRecorder, TaskContext } from "./task-context.js";
import { filterExec, projectExec, scanExec } from "./operators/basic.js";
import type { OperatorEnv } from "./operators/env.js";
import { OperatorError } from "./operators/errors.js";
import { hashAggregateExec } from "./operators/hash-aggregate.js";
import { hashJoinExec } from "./operators/hash-join.js";
import { globalLimitExec, localLimitExec } from "./operators/limit.js";
import { nestedLoopJoinExec } from "./operators/nested-loop-join.js";
import { coalesceExec, unionExec } from "./operators/partitions.js";
import { sampleExec } from "./operators/sample.js";
import { sortExec, topKExec } from "./operators/sort.js";
import { windowExec } from "./operators/window.js";
import { windowGroupLimitExec } from "./operators/window-group-limit.js";

export function executeNode(node: PhysicalPlan, ctx: TaskContext): AsyncIterable<Batch> {
  const metrics = ctx.metrics(node.id, node.kind);
  const env: OperatorEnv = {
    ctx,
    metrics,
    input: (child) => countRowsIn(executeNode(child, ctx), metrics),
  };
  return instrument(dispatch(node, env), metrics, ctx);
}

function dispatch(node: PhysicalPlan, env: OperatorEnv): AsyncIterable<Batch> {
  const { ctx } = env;
  switch (node.kind) {
    case "ScanExec": return scanExec(node, env);
    case "ProjectExec": return projectExec(node, env);
    case "FilterExec": return filterExec(node, env);
    case "HashAggregateExec": return hashAggregateExec(node, env);
    case "HashJoinExec": return hashJoinExec(node, env);
    case "SortMergeJoinExec":
      // Same answer as a partitioned hash join over the same co-partitioned inputs.
      return hashJoinExec({ ...node, kind: "HashJoinExec", mode: "partitioned", buildSide: node.how === "right" ? "left" : "right" }, env);
    case "NestedLoopJoinExec": return nestedLoopJoinExec(node, env);
    case "SortExec": return sortExec(node, env);
    case "TopKExec": return topKExec(node, env);
    case "LocalLimitExec": return localLimitExec(node, env);
    case "GlobalLimitExec": return globalLimitExec(node, env);
    case "WindowExec": return windowExec(node, env);
    case "WindowGroupLimitExec": return windowGroupLimitExec(node, env);
    case "UnionExec": return unionExec(node, env, executeNode);
    case "CoalescePartitionsExec": return coalesceExec(node, env, executeNode);
    case "SampleExec": return sampleExec(node, env);
    case "ShuffleExchangeExec": return ctx.exchangeInput(node.id);
    case "BroadcastExchangeExec": return broadcastBatches(ctx, node.id);
    case "CacheExec": return ctx.cached(node.cacheId, ctx.partition) ?? executeNode(node.input, ctx);
    default: {
      const unknown: never = node;
      throw new OperatorError(`no operator for physical node ${(unknown as { kind: string }).kind}`);
    }
  }
}

async function* broadcastBatches(ctx: TaskContext, id: number): AsyncIterable<Batch> {
  for (const b of await ctx.broadcastInput(id)) yield b;
}

async function* countRowsIn(input: AsyncIterable<Batch>, metrics: OperatorMetricsRecorder): AsyncIterable<Batch> {
  for await (const b of input) {
    metrics.addRowsIn(b.length);
    yield b;
  }
}

/** Output rows/batches and the operator's own time (time spent inside its next() calls). */
async function* instrument(stream: AsyncIterable<Batch>, metrics: OperatorMetricsRecorder, ctx: TaskContext): AsyncIterable<Batch> {
  const it = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      ctx.checkCancelled();
      const t0 = performance.now();
      const r = await it.next();
      metrics.addTime(performance.now() - t0);
      if (r.done) return;
      metrics.addOutput(r.value);
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}
