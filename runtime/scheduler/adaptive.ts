/**
 * Adaptive decisions between stages, from the real sizes the map tasks wrote. Today: coalesce
 * small shuffle partitions (Spark AQE's rule): contiguous reduce partitions are merged while their
 * total stays under the advisory size, so a 200-way shuffle of 1 MB does not start 200 tasks.
 */
import type { PhysicalPlan } from "../physical/plan.js";
import { physicalChildren } from "../physical/plan.js";
import type { Stage } from "./stages.js";

/** Reduce partition ranges [from, to) for each task of the consumer stage. */
export type ReduceRanges = readonly (readonly [number, number])[];

function usesPartitionNumbering(node: PhysicalPlan): boolean {
  // These operators compute which input partitions to read from ctx.numPartitions.
  if (node.kind === "UnionExec" || node.kind === "CoalescePartitionsExec" || node.kind === "ScanExec" || node.kind === "CacheExec") return true;
  if (node.kind === "ShuffleExchangeExec" || node.kind === "BroadcastExchangeExec") return false;
  return physicalChildren(node).some(usesPartitionNumbering);
}

/**
 * Whether a stage's tasks may read several reduce partitions each: every partitioned input is a
 * shuffle, the stage is not a plain repartition (its root is not the exchange), and it does not
 * store a cache (whose partitioning the planner relies on).
 */
export function canCoalesce(stage: Stage): boolean {
  if (stage.shuffleReads.length === 0 || stage.output.kind === "cache") return false;
  if (stage.fragment.kind === "ShuffleExchangeExec") return false;
  return !usesPartitionNumbering(stage.fragment);
}

/** Merges contiguous partitions up to `target` bytes; undefined when nothing would merge. */
export function coalesceRanges(bytesPerPartition: readonly number[], target: number): ReduceRanges | undefined {
  const ranges: [number, number][] = [];
  let from = 0;
  let size = 0;
  for (let r = 0; r < bytesPerPartition.length; r++) {
    const b = bytesPerPartition[r]!;
    if (r > from && size + b > target) {
      ranges.push([from, r]);
      from = r;
      size = 0;
    }
    size += b;
  }
  ranges.push([from, bytesPerPartition.length]);
  return ranges.length < bytesPerPartition.length ? ranges : undefined;
}
