/**
 * The expression IR: a tagged union of plain objects. The API's `Column` wraps one of these;
 * the analyzer resolves names and types; the optimizer rewrites them; workers compile them into
 * vectorized loops. Nothing here holds state or functions, so an Expr survives JSON and
 * structured clone (int64/timestamp literals are bigint: use runtime/logical/serialize for JSON).
 */
import type { DataType } from "./types.js";

/** Literal values, by type: int64/timestamp/decimal(unscaled) are bigint, date is days (number). */
export type LiteralValue = null | boolean | number | bigint | string | readonly LiteralValue[];

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%"            // arithmetic; x / 0 is null (Spark's default, non-ANSI)
  | "=" | "!=" | "<" | "<=" | ">" | ">="   // comparison; null in, null out
  | "<=>"                                  // null-safe equality (eqNullSafe)
  | "and" | "or";                          // three-valued logic

export type UnaryOp = "not" | "negate" | "isNull" | "isNotNull" | "isNaN";

/** Aggregate functions. `count` with no args is count(*). Percentile p lives in `params`. */
export type AggFn =
  | "count" | "sum" | "avg" | "min" | "max" | "first" | "last"
  | "stddev" | "stddev_pop" | "variance" | "var_pop"
  | "corr" | "covar_pop" | "covar_samp"                     // two arguments: (x, y)
  | "median" | "percentile" | "collect_list" | "collect_set" | "count_distinct"
  | "approx_count_distinct";

/** Functions that only make sense over a window (ranking and offsets). */
export type RankingFn = "row_number" | "rank" | "dense_rank" | "percent_rank" | "ntile" | "lag" | "lead" | "cume_dist";

export interface SortOrder {
  readonly expr: Expr;
  readonly ascending: boolean;
  /** Spark's defaults: nulls first when ascending, nulls last when descending. */
  readonly nullsFirst: boolean;
}

/** Frame bound: unbounded, current row, or an offset (rows: row count; range: value distance in the order key's unit). */
export type FrameBound =
  | { readonly kind: "unboundedPreceding" }
  | { readonly kind: "unboundedFollowing" }
  | { readonly kind: "currentRow" }
  | { readonly kind: "offset"; readonly value: number };   // negative = preceding, positive = following

export interface WindowFrame {
  readonly type: "rows" | "range";
  readonly start: FrameBound;
  readonly end: FrameBound;
}

export interface WindowSpec {
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortOrder[];
  /** Absent: Spark's default (range unbounded preceding .. current row when ordered, whole partition otherwise). */
  readonly frame?: WindowFrame;
}

export type Expr =
  /** A column reference; `qualifier` disambiguates after joins (`orders.id`). */
  | { readonly kind: "Column"; readonly name: string; readonly qualifier?: string }
  | { readonly kind: "Literal"; readonly value: LiteralValue; readonly type: DataType }
  | { readonly kind: "Alias"; readonly expr: Expr; readonly name: string }
  | { readonly kind: "Binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "Unary"; readonly op: UnaryOp; readonly expr: Expr }
  | { readonly kind: "Cast"; readonly expr: Expr; readonly to: DataType }
  | { readonly kind: "Case"; readonly branches: readonly { readonly when: Expr; readonly then: Expr }[]; readonly otherwise?: Expr }
  | { readonly kind: "In"; readonly expr: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  /** A scalar function from the registry (runtime/expr/functions): lower, coalesce, date_trunc, like ... */
  | { readonly kind: "Call"; readonly fn: string; readonly args: readonly Expr[] }
  | {
      readonly kind: "Agg";
      readonly fn: AggFn;
      readonly args: readonly Expr[];
      readonly distinct: boolean;
      /** e.g. { percentile: 0.5 }, { ignoreNulls: true } */
      readonly params?: Readonly<Record<string, number | boolean>>;
    }
  | { readonly kind: "Ranking"; readonly fn: RankingFn; readonly args: readonly Expr[]; readonly params?: Readonly<Record<string, number>> }
  /** `fn` is an Agg or a Ranking expression evaluated over `spec`. */
  | { readonly kind: "Window"; readonly fn: Expr; readonly spec: WindowSpec }
  /** A user function; `source` is the function's text, compiled in each worker. */
  | { readonly kind: "Udf"; readonly name: string; readonly source: string; readonly returnType: DataType; readonly args: readonly Expr[] }
  /** `*` in select / count(*), expanded by the analyzer. */
  | { readonly kind: "Star"; readonly qualifier?: string };

export type ExprKind = Expr["kind"];
