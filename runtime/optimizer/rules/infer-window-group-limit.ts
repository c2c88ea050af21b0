/**
 * InferWindowGroupLimit (Spark's rule of the same name): a Filter right above a Window that keeps
 * only rows with `rn <= k` (or `< k`, `= k`, `k >= rn` ...) on a row_number / rank / dense_rank
 * column tells the Window that only the best k rows (plus ties, for rank / dense_rank) of each of
 * its partitions matter. The rule records that on the Window (`groupLimit`) and the planner then
 * puts a WindowGroupLimitExec under it, before and after the shuffle, so
 * `row_number() over (partition by g order by v desc) <= 2` moves ~2 rows per group and task
 * instead of every row. The Filter and the Window stay: they still compute the exact answer.
 *
 * Only when that is safe: every expression of the Window is row_number/rank/dense_rank over one
 * shared, deterministic, ordered spec (an aggregate or lag/ntile/percent_rank... would see a cut
 * partition), the bound is a top-level conjunct against a numeric literal, and k is at most
 * WINDOW_GROUP_LIMIT_THRESHOLD (a larger k keeps so much that the limit only costs time).
 *
 * The rule also clears a `groupLimit` whose Filter is gone or changed, so the annotation is
 * consistent with the plan whenever the optimizer reaches its fixed point.
 */
import type { Expr, WindowSpec } from "../../expr/ir.js";
import { children, type LogicalPlan, type RankLikeFn, type WindowGroupLimit } from "../../logical/plan.js";
import { exprKey, isNondeterministic, splitConjuncts, stripAlias } from "../expr-utils.js";
import { withChildren } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";
import { resolveColumn } from "../schema-utils.js";

/** Largest k worth limiting (Spark's spark.sql.optimizer.windowGroupLimitThreshold default). */
export const WINDOW_GROUP_LIMIT_THRESHOLD = 1000;

type WindowNode = LogicalPlan & { kind: "Window" };

export const inferWindowGroupLimit: OptimizerRule = {
  name: "InferWindowGroupLimit",
  apply(plan: LogicalPlan) {
    return visit(plan, undefined);
  },
};

function visit(plan: LogicalPlan, filterAbove: Expr | undefined): LogicalPlan {
  const kids = children(plan);
  const predicate = plan.kind === "Filter" ? plan.predicate : undefined;
  const newKids = kids.map((k) => visit(k, predicate));
  const node = newKids.some((k, i) => k !== kids[i]) ? withChildren(plan, newKids) : plan;
  if (node.kind !== "Window") return node;
  const wanted = filterAbove ? inferGroupLimit(filterAbove, node) : undefined;
  if (sameLimit(node.groupLimit, wanted)) return node;
  const { groupLimit: _stale, ...rest } = node;
  return wanted ? { ...rest, groupLimit: wanted } : rest;
}

function sameLimit(a: WindowGroupLimit | undefined, b: WindowGroupLimit | undefined): boolean {
  if (!a || !b) return a === b;
  return a.column === b.column && a.fn === b.fn && a.k === b.k;
}

const RANK_LIKE: ReadonlySet<string> = new Set<RankLikeFn>(["row_number", "rank", "dense_rank"]);

/** The shared spec when every expression is a rank-like function over one ordered spec. */
export function rankLikeSpec(window: WindowNode): WindowSpec | undefined {
  let spec: WindowSpec | undefined;
  let key = "";
  for (const e of window.exprs) {
    const w = stripAlias(e);
    if (w.kind !== "Window" || w.fn.kind !== "Ranking" || !RANK_LIKE.has(w.fn.fn)) return undefined;
    const k = exprKey([...w.spec.partitionBy, ...w.spec.orderBy]);
    if (spec && k !== key) return undefined;
    spec ??= w.spec;
    key = k;
  }
  if (!spec || spec.orderBy.length === 0) return undefined;
  const exprs = [...spec.partitionBy, ...spec.orderBy.map((o) => o.expr)];
  return exprs.some(isNondeterministic) ? undefined : spec;
}

/** The tightest rank bound the predicate's conjuncts put on the Window's rank-like columns. */
export function inferGroupLimit(predicate: Expr, window: WindowNode): WindowGroupLimit | undefined {
  if (!rankLikeSpec(window)) return undefined;
  const n = window.input.schema.fields.length;
  let best: WindowGroupLimit | undefined;
  for (const conjunct of splitConjuncts(predicate)) {
    const bound = rankBound(conjunct, window);
    if (!bound || bound.index < n) continue;
    const w = stripAlias(window.exprs[bound.index - n]!);
    if (w.kind !== "Window" || w.fn.kind !== "Ranking") continue;
    const candidate: WindowGroupLimit = { column: window.schema.fields[bound.index]!.name, fn: w.fn.fn as RankLikeFn, k: bound.k };
    // Smaller k keeps fewer rows; at equal k, row_number keeps no ties.
    if (!best || candidate.k < best.k || (candidate.k === best.k && candidate.fn === "row_number")) best = candidate;
  }
  return best && best.k <= WINDOW_GROUP_LIMIT_THRESHOLD ? best : undefined;
}

const FLIP: Readonly<Record<string, string>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" };

/** `column op literal` (either side) as "column index <= k", or undefined. */
function rankBound(c: Expr, window: WindowNode): { index: number; k: number } | undefined {
  if (c.kind !== "Binary" || !(c.op in FLIP)) return undefined;
  let op: string = c.op;
  let column = columnIndex(c.left, window);
  let value = literalNumber(c.right);
  if (column < 0) {
    column = columnIndex(c.right, window);
    value = literalNumber(c.left);
    op = FLIP[op]!;
  }
  if (column < 0 || value === undefined) return undefined;
  let k: number;
  if (op === "<=") k = Math.floor(value);
  else if (op === "<") k = Math.ceil(value) - 1;
  else if (op === "=") k = Number.isInteger(value) ? value : 0; // rn = 2.5 holds for no row
  else return undefined;
  return { index: column, k: Math.max(0, k) };
}

const EXACT_NUMERIC_CASTS: ReadonlySet<string> = new Set(["int32", "int64", "float64"]);

/** Index in the Window's output of a column reference, looking through widening numeric casts. */
function columnIndex(e: Expr, window: WindowNode): number {
  let inner = e;
  while (inner.kind === "Cast" && EXACT_NUMERIC_CASTS.has(inner.to.kind)) inner = inner.expr;
  return inner.kind === "Column" ? resolveColumn(window.schema, inner) : -1;
}

function literalNumber(e: Expr): number | undefined {
  if (e.kind !== "Literal") return undefined;
  if (typeof e.value === "number" && !Number.isNaN(e.value)) return e.value;
  if (typeof e.value === "bigint") return Number(e.value);
  return undefined;
}

/** What the planner needs from a Window whose groupLimit still holds (re-checked, so a stale one is ignored). */
export function plannedGroupLimit(window: WindowNode): { spec: WindowSpec; limit: WindowGroupLimit } | undefined {
  const limit = window.groupLimit;
  const spec = limit ? rankLikeSpec(window) : undefined;
  if (!limit || !spec) return undefined;
  const n = window.input.schema.fields.length;
  const j = window.schema.fields.findIndex((f, i) => i >= n && f.name === limit.column);
  if (j < 0) return undefined;
  const w = stripAlias(window.exprs[j - n]!);
  if (w.kind !== "Window" || w.fn.kind !== "Ranking" || w.fn.fn !== limit.fn) return undefined;
  return { spec, limit };
}
