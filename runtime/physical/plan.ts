/**
 * Physical plan: how to run a query over partitions. Built from an optimized logical plan by
 * runtime/physical (planner + distribution enforcement), printed by explain, cut into stages at
 * exchanges and executed by runtime/scheduler + runtime/worker. Plain data, sent to workers as is.
 *
 * Every node declares `outputPartitioning`; operators that need co-located keys (final aggregate,
 * partitioned join, window) require a hash distribution of their input on their keys, and the
 * EnforceDistribution step inserts a ShuffleExchange only where the child does not already
 * provide it. Hashing is runtime/shuffle/hash.ts (one function, HASH_VERSION) everywhere.
 */
import type { AggFn, Expr, SortOrder, WindowFrame } from "../expr/ir.js";
import type { Schema } from "../expr/types.js";
import type { JoinType, RankLikeFn, SourceRef } from "../logical/plan.js";

export type Partitioning =
  | { readonly kind: "unknown"; readonly n: number }
  | { readonly kind: "single" }
  | { readonly kind: "hash"; readonly keys: readonly Expr[]; readonly n: number; readonly hashVersion: number }
  | { readonly kind: "range"; readonly order: readonly SortOrder[]; readonly n: number }
  | { readonly kind: "roundRobin"; readonly n: number };

/** One aggregate as the executor sees it: function, argument(s), output column name. */
export interface AggregateCall {
  readonly fn: AggFn;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  readonly params?: Readonly<Record<string, number | boolean>>;
  readonly name: string;
}

interface Node {
  /** Unique within one plan; metrics are reported per node id. */
  readonly id: number;
  readonly schema: Schema;
  readonly outputPartitioning: Partitioning;
}

export type PhysicalPlan =
  | (Node & {
      readonly kind: "ScanExec";
      readonly source: SourceRef;
      readonly projection?: readonly string[];
      readonly filters: readonly Expr[];
      readonly limit?: number;
    })
  | (Node & { readonly kind: "ProjectExec"; readonly input: PhysicalPlan; readonly exprs: readonly Expr[] })
  | (Node & { readonly kind: "FilterExec"; readonly input: PhysicalPlan; readonly predicate: Expr })
  /**
   * partial: per input partition, emits keys + accumulator state columns;
   * final: merges states (input hash-partitioned on keys) and emits results;
   * complete: one pass (input already distributed on keys, or a single partition).
   * `resultExprs` (final/complete) computes the output columns from keys and aggregate results,
   * e.g. max(v1) - min(v2).
   */
  | (Node & {
      readonly kind: "HashAggregateExec";
      readonly mode: "partial" | "final" | "complete";
      readonly input: PhysicalPlan;
      readonly keys: readonly Expr[];
      readonly aggs: readonly AggregateCall[];
      readonly resultExprs?: readonly Expr[];
    })
  | (Node & {
      readonly kind: "HashJoinExec";
      /** broadcast: build side is a BroadcastExchangeExec; partitioned: both sides hash-partitioned alike. */
      readonly mode: "broadcast" | "partitioned";
      readonly how: JoinType;
      readonly left: PhysicalPlan;
      readonly right: PhysicalPlan;
      readonly leftKeys: readonly Expr[];
      readonly rightKeys: readonly Expr[];
      readonly condition?: Expr;
      readonly buildSide: "left" | "right";
    })
  | (Node & {
      readonly kind: "SortMergeJoinExec";
      readonly how: JoinType;
      readonly left: PhysicalPlan;
      readonly right: PhysicalPlan;
      readonly leftKeys: readonly Expr[];
      readonly rightKeys: readonly Expr[];
      readonly condition?: Expr;
    })
  | (Node & { readonly kind: "NestedLoopJoinExec"; readonly how: JoinType; readonly left: PhysicalPlan; readonly right: PhysicalPlan; readonly condition?: Expr })
  /** Sorts each partition; with range-partitioned input the concatenation is globally sorted. */
  | (Node & { readonly kind: "SortExec"; readonly input: PhysicalPlan; readonly order: readonly SortOrder[] })
  /** Per-partition top-k (orderBy().limit(k)); a final TopKExec over a single partition merges. */
  | (Node & { readonly kind: "TopKExec"; readonly input: PhysicalPlan; readonly order: readonly SortOrder[]; readonly k: number })
  | (Node & { readonly kind: "LocalLimitExec"; readonly input: PhysicalPlan; readonly n: number })
  | (Node & { readonly kind: "GlobalLimitExec"; readonly input: PhysicalPlan; readonly n: number; readonly offset: number })
  /** Input is hash-partitioned on partitionBy and sorted by partitionBy + orderBy. */
  | (Node & {
      readonly kind: "WindowExec";
      readonly input: PhysicalPlan;
      readonly partitionBy: readonly Expr[];
      readonly orderBy: readonly SortOrder[];
      readonly frame?: WindowFrame;
      /** Each an Alias(Window(...)) sharing this node's partitionBy/orderBy. */
      readonly exprs: readonly Expr[];
    })
  /**
   * Per group of partitionBy, keeps only the rows `fn` over orderBy could number <= k (row_number:
   * the best k rows; rank / dense_rank: also every tie of the k-th value / the k best values).
   * partial: before the shuffle, over one map task's rows; final: after it, over whole groups.
   * Always under a WindowExec and a Filter that compute the exact answer, so dropping fewer rows
   * (e.g. under memory pressure) is never wrong.
   */
  | (Node & {
      readonly kind: "WindowGroupLimitExec";
      readonly input: PhysicalPlan;
      readonly partitionBy: readonly Expr[];
      readonly orderBy: readonly SortOrder[];
      readonly fn: RankLikeFn;
      readonly k: number;
      readonly mode: "partial" | "final";
    })
  | (Node & { readonly kind: "UnionExec"; readonly inputs: readonly PhysicalPlan[] })
  /** Merge partitions without a shuffle (coalesce(n), or n = 1 before a final limit/collect). */
  | (Node & { readonly kind: "CoalescePartitionsExec"; readonly input: PhysicalPlan; readonly n: number })
  | (Node & { readonly kind: "SampleExec"; readonly input: PhysicalPlan; readonly fraction: number; readonly withReplacement: boolean; readonly seed: number })
  /** Stage boundary: map side writes partitioned blocks, reduce side reads its partition. */
  | (Node & { readonly kind: "ShuffleExchangeExec"; readonly input: PhysicalPlan; readonly partitioning: Partitioning })
  /** Stage boundary: the child is collected once and shared read-only with every task. */
  | (Node & { readonly kind: "BroadcastExchangeExec"; readonly input: PhysicalPlan })
  /** Stores the child's partitions under `cacheId` on first run; afterwards becomes a ScanExec of them. */
  | (Node & { readonly kind: "CacheExec"; readonly input: PhysicalPlan; readonly cacheId: string });

export type PhysicalKind = PhysicalPlan["kind"];

export function physicalChildren(plan: PhysicalPlan): readonly PhysicalPlan[] {
  switch (plan.kind) {
    case "ScanExec":
      return [];
    case "HashJoinExec":
    case "SortMergeJoinExec":
    case "NestedLoopJoinExec":
      return [plan.left, plan.right];
    case "UnionExec":
      return plan.inputs;
    default:
      return [plan.input];
  }
}

export function partitionCount(p: Partitioning): number {
  return p.kind === "single" ? 1 : p.n;
}
