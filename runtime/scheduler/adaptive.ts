/**
 * Adaptive decisions between stages, from the real sizes the map tasks wrote (Spark AQE's rules):
 *  - coalesce: contiguous small reduce partitions are merged while their total stays under the
 *    advisory size, so a 200-way shuffle of 1 MB does not start 200 tasks;
 *  - skew split: in a partitioned join, a reduce partition of one side far larger than the median
 *    is split by map output into several tasks, each joined with the whole matching partition of
 *    the other side (only for join types where that gives the same rows: the split side must be
 *    the preserved/probe side).
 */
import type { PhysicalPlan } from "../physical/plan.js";
import { physicalChildren } from "../physical/plan.js";
import type { Stage } from "./stages.js";
import { formatBytes } from "./errors.js";

/** What one task of a shuffle-reading stage reads: reduce partitions [from, to) of every shuffle,
 *  and for a split skewed partition only map outputs [mapFrom, mapTo) of one exchange. */
export interface TaskRead {
  readonly from: number;
  readonly to: number;
  readonly split?: { readonly exchange: number; readonly mapFrom: number; readonly mapTo: number };
}

export interface AdaptiveSettings {
  readonly advisoryPartitionBytes: number;
  /** A partition is skewed when larger than factor x median and than minBytes. */
  readonly skewFactor: number;
  readonly skewMinBytes: number;
}

function usesPartitionNumbering(node: PhysicalPlan): boolean {
  // These operators compute which input partitions to read from ctx.partition/numPartitions.
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

/**
 * Exchange ids of the join sides that may be split when skewed, or [] when the stage's plan
 * does not allow it. Above the join only row-local operators may run in the same stage (a final
 * aggregate or window there relies on every key being in one task).
 */
export function splittableSides(stage: Stage): number[] {
  if (!canCoalesce(stage)) return [];
  let node = stage.fragment;
  while (node.kind === "ProjectExec" || node.kind === "FilterExec" || (node.kind === "HashAggregateExec" && node.mode === "partial")) node = node.input;
  if (node.kind !== "HashJoinExec" && node.kind !== "SortMergeJoinExec") return [];
  if (node.kind === "HashJoinExec" && node.mode !== "partitioned") return [];
  if (node.left.kind !== "ShuffleExchangeExec" || node.right.kind !== "ShuffleExchangeExec") return [];
  switch (node.how) {
    case "inner":
      return [node.left.id, node.right.id];
    case "left":
    case "semi":
    case "anti":
      return [node.left.id];
    case "right":
      return [node.right.id];
    default:
      return [];
  }
}

/** Merges contiguous partitions up to `target` bytes; undefined when nothing would merge. */
export function coalesceRanges(bytesPerPartition: readonly number[], target: number): (readonly [number, number])[] | undefined {
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

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
}

/**
 * The tasks of a shuffle-reading stage. `bytes.get(exchange)[map][reduce]` are the written block
 * sizes. Returns undefined when the plain one-task-per-partition layout is best; `notes` receives
 * the decisions in words.
 */
export function planReads(stage: Stage, bytes: ReadonlyMap<number, readonly (readonly number[])[]>, settings: AdaptiveSettings, notes: string[]): TaskRead[] | undefined {
  if (!canCoalesce(stage)) return undefined;
  const exchanges = [...bytes.keys()];
  const n = bytes.get(exchanges[0]!)?.[0]?.length ?? 0;
  if (n <= 1) return undefined;
  const sideTotal = (x: number, r: number): number => bytes.get(x)!.reduce((s, m) => s + m[r]!, 0);
  const total = Array.from({ length: n }, (_, r) => exchanges.reduce((s, x) => s + sideTotal(x, r), 0));

  // Skew: which (partition, side) to split, and into which map ranges.
  const splits = new Map<number, TaskRead[]>();
  for (const x of splittableSides(stage).filter((side) => bytes.has(side))) {
    const sizes = Array.from({ length: n }, (_, r) => sideTotal(x, r));
    const threshold = Math.max(settings.skewFactor * median(sizes), settings.skewMinBytes);
    for (let r = 0; r < n; r++) {
      if (sizes[r]! <= threshold || splits.has(r)) continue;
      const perMap = bytes.get(x)!.map((m) => m[r]!);
      const tasks: TaskRead[] = [];
      let from = 0;
      let size = 0;
      for (let m = 0; m < perMap.length; m++) {
        if (m > from && size + perMap[m]! > settings.advisoryPartitionBytes) {
          tasks.push({ from: r, to: r + 1, split: { exchange: x, mapFrom: from, mapTo: m } });
          from = m;
          size = 0;
        }
        size += perMap[m]!;
      }
      tasks.push({ from: r, to: r + 1, split: { exchange: x, mapFrom: from, mapTo: perMap.length } });
      if (tasks.length > 1) {
        splits.set(r, tasks);
        notes.push(`split skewed partition ${r} (${formatBytes(sizes[r]!)} on one join side, median ${formatBytes(median(sizes))}) into ${tasks.length} tasks`);
      }
    }
  }

  // Coalesce the runs of partitions between skewed ones.
  const reads: TaskRead[] = [];
  let merged = 0;
  let start = 0;
  const flush = (end: number): void => {
    if (end <= start) return;
    const ranges = coalesceRanges(total.slice(start, end), settings.advisoryPartitionBytes) ?? Array.from({ length: end - start }, (_, i) => [i, i + 1] as const);
    merged += end - start - ranges.length;
    for (const [a, b] of ranges) reads.push({ from: start + a, to: start + b });
  };
  for (let r = 0; r < n; r++) {
    const split = splits.get(r);
    if (!split) continue;
    flush(r);
    reads.push(...split);
    start = r + 1;
  }
  flush(n);
  if (merged > 0) notes.push(`coalesced ${n - splits.size} shuffle partitions into ${reads.length - [...splits.values()].reduce((s, t) => s + t.length, 0)} (target ${formatBytes(settings.advisoryPartitionBytes)} each)`);
  return splits.size > 0 || merged > 0 ? reads : undefined;
}
