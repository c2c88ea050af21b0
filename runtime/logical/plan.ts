/**
 * Logical plan nodes: what the user asked for, not how to run it. Plain data (tagged unions),
 * built by runtime/api, resolved by the analyzer (every node carries its output `schema`,
 * computed when the transformation is written), rewritten by runtime/optimizer rules.
 *
 * Invariants after analysis (checked after every optimizer rule):
 *  - every Column reference names a field of the node's input schema(s);
 *  - implicit coercions are explicit Casts, so a Binary's operands have the same type and a
 *    Call's arguments match its signature;
 *  - `schema` equals what the node computes from its inputs.
 */
import type { Expr, SortOrder } from "../expr/ir.js";
import type { Schema } from "../expr/types.js";

/** Where a Scan reads from. Readers (I/O issue) add file and database sources here. */
export type SourceRef =
  /** Columnar data held by the engine's block store (createDataFrame, cached results). */
  | {
      readonly kind: "memory";
      readonly id: string;
      readonly partitions: number;
      readonly rows: number;
      readonly bytes: number;
      /** Set when the data is known to be hash-partitioned (e.g. repartition(n, key).cache()). */
      readonly partitioning?: DataPartitioning;
    }
  | { readonly kind: "range"; readonly start: bigint; readonly end: bigint; readonly step: bigint; readonly partitions: number };

/** How stored data is laid out across partitions. Same keys + same count + same hash version = co-partitioned. */
export type DataPartitioning =
  | { readonly kind: "hash"; readonly keys: readonly string[]; readonly n: number; readonly hashVersion: number }
  | { readonly kind: "range"; readonly keys: readonly string[]; readonly n: number };

/** Window functions whose value for a row depends only on the rows ordered before it (and its peers). */
export type RankLikeFn = "row_number" | "rank" | "dense_rank";

/**
 * A Window's promise that only rows whose `column` (one of its row_number/rank/dense_rank outputs,
 * by output name) is <= k are ever used: a Filter above says so. The planner may then drop, per
 * window partition, every row that cannot rank within k before the window runs (Spark's
 * WindowGroupLimit). The Filter stays and still decides; this only lets the engine read less.
 */
export interface WindowGroupLimit {
  readonly column: string;
  readonly fn: RankLikeFn;
  readonly k: number;
}

export type JoinType = "inner" | "left" | "right" | "full" | "semi" | "anti" | "cross";
export type JoinHint = "broadcast" | "shuffle_hash" | "merge";

export type RepartitionScheme =
  | { readonly kind: "hash"; readonly keys: readonly Expr[]; readonly n: number }
  | { readonly kind: "range"; readonly order: readonly SortOrder[]; readonly n: number }
  | { readonly kind: "roundRobin"; readonly n: number }
  /** coalesce(n): merge partitions without a shuffle. */
  | { readonly kind: "coalesce"; readonly n: number };

interface Node {
  readonly schema: Schema;
}

export type LogicalPlan =
  | (Node & {
      readonly kind: "Scan";
      readonly source: SourceRef;
      /** Columns to read (projection pushdown); absent = all. */
      readonly projection?: readonly string[];
      /** Predicates pushed into the scan (each a conjunct); the scan may use them to skip data. */
      readonly filters: readonly Expr[];
      readonly limit?: number;
    })
  | (Node & { readonly kind: "Project"; readonly input: LogicalPlan; readonly exprs: readonly Expr[] })
  | (Node & { readonly kind: "Filter"; readonly input: LogicalPlan; readonly predicate: Expr })
  | (Node & {
      readonly kind: "Aggregate";
      readonly input: LogicalPlan;
      readonly groupBy: readonly Expr[];
      /** Output expressions over aggregates, each aliased: Alias(Agg(...)) or Alias(expr of Aggs). */
      readonly aggs: readonly Expr[];
    })
  /** Appends one column per window expression (each an Alias(Window(...))). */
  | (Node & {
      readonly kind: "Window";
      readonly input: LogicalPlan;
      readonly exprs: readonly Expr[];
      /** Set by InferWindowGroupLimit when the Filter right above keeps only small ranks (see WindowGroupLimit). */
      readonly groupLimit?: WindowGroupLimit;
    })
  | (Node & {
      readonly kind: "Join";
      readonly left: LogicalPlan;
      readonly right: LogicalPlan;
      readonly how: JoinType;
      /** Equi-join keys, pairwise. */
      readonly on: readonly { readonly left: Expr; readonly right: Expr }[];
      /** Extra non-equi condition evaluated on matching pairs. */
      readonly condition?: Expr;
      readonly hint?: JoinHint;
      /** join(other, { on: "k" }) keeps one `k` column (USING semantics), Spark-style. */
      readonly usingColumns?: readonly string[];
    })
  | (Node & { readonly kind: "Sort"; readonly input: LogicalPlan; readonly order: readonly SortOrder[] })
  | (Node & { readonly kind: "Limit"; readonly input: LogicalPlan; readonly n: number; readonly offset: number })
  /** distinct() (subset absent) or dropDuplicates(subset): keeps the first row of each key. */
  | (Node & { readonly kind: "Distinct"; readonly input: LogicalPlan; readonly subset?: readonly string[] })
  | (Node & { readonly kind: "Union"; readonly inputs: readonly LogicalPlan[]; readonly byName: boolean })
  | (Node & { readonly kind: "Repartition"; readonly input: LogicalPlan; readonly scheme: RepartitionScheme })
  | (Node & {
      readonly kind: "Sample";
      readonly input: LogicalPlan;
      readonly fraction: number;
      readonly withReplacement: boolean;
      readonly seed: number;
    })
  /** cache()/persist(): the first action stores partitions under `id`; later ones read them. */
  | (Node & { readonly kind: "Cache"; readonly input: LogicalPlan; readonly id: string; readonly level: "memory" | "memory_and_disk" })
  /** df.alias("o") / createOrReplaceTempView: sets the qualifier of every output column. */
  | (Node & { readonly kind: "SubqueryAlias"; readonly input: LogicalPlan; readonly alias: string });

export type LogicalKind = LogicalPlan["kind"];

/** The inputs of a node, in order. */
export function children(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case "Scan":
      return [];
    case "Join":
      return [plan.left, plan.right];
    case "Union":
      return plan.inputs;
    default:
      return [plan.input];
  }
}
