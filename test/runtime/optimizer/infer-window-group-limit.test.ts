import { describe, expect, it } from "vitest";
import type { Expr, RankingFn, SortOrder } from "../../../runtime/expr/ir.js";
import { Types } from "../../../runtime/expr/types.js";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { optimize } from "../../../runtime/optimizer/index.js";
import { inferWindowGroupLimit, WINDOW_GROUP_LIMIT_THRESHOLD } from "../../../runtime/optimizer/rules/infer-window-group-limit.js";
import { agg, alias, and, bin, col, filter, gt, int, isNotNull, or, project, scan, windowNode } from "./builders.js";

const base = () => scan({ g: "int32", v: "float64", x: "string" });
const desc = (e: Expr): SortOrder => ({ expr: e, ascending: false, nullsFirst: false });
const over = (fn: Expr, partitionBy: Expr[] = [col("g")], orderBy: SortOrder[] = [desc(col("v"))]): Expr =>
  ({ kind: "Window", fn, spec: { partitionBy, orderBy } });
const ranking = (fn: RankingFn): Expr => ({ kind: "Ranking", fn, args: [] });
const win = (fn: RankingFn, name = "rn", partitionBy?: Expr[], orderBy?: SortOrder[]) => alias(over(ranking(fn), partitionBy, orderBy), name);
const double = (value: number): Expr => ({ kind: "Literal", value, type: Types.float64 });

function limitOf(plan: LogicalPlan): unknown {
  for (let p: LogicalPlan | undefined = plan; p; p = "input" in p ? p.input : undefined) {
    if (p.kind === "Window") return p.groupLimit;
  }
  throw new Error("no Window in plan");
}

const apply = (plan: LogicalPlan) => inferWindowGroupLimit.apply(plan, {});

describe("InferWindowGroupLimit", () => {
  it("row_number() <= k over a partitioned, ordered window limits each group to k rows", () => {
    const plan = filter(windowNode(base(), win("row_number")), bin("<=", col("rn"), int(2)));
    expect(limitOf(apply(plan))).toEqual({ column: "rn", fn: "row_number", k: 2 });
  });

  it("reads k from <, = and a literal on the left", () => {
    const w = () => windowNode(base(), win("rank"));
    expect(limitOf(apply(filter(w(), bin("<", col("rn"), int(3)))))).toEqual({ column: "rn", fn: "rank", k: 2 });
    expect(limitOf(apply(filter(w(), bin("=", col("rn"), int(1)))))).toEqual({ column: "rn", fn: "rank", k: 1 });
    expect(limitOf(apply(filter(w(), bin(">=", int(4), col("rn")))))).toEqual({ column: "rn", fn: "rank", k: 4 });
    expect(limitOf(apply(filter(w(), bin(">", int(4), col("rn")))))).toEqual({ column: "rn", fn: "rank", k: 3 });
    expect(limitOf(apply(filter(w(), bin("<=", col("rn"), double(2.5)))))).toEqual({ column: "rn", fn: "rank", k: 2 });
    expect(limitOf(apply(filter(w(), bin("<", col("rn"), double(2.5)))))).toEqual({ column: "rn", fn: "rank", k: 2 });
  });

  it("keeps the extra conditions of the filter and the filter itself", () => {
    const pred = and(bin("<=", col("rn"), int(3)), gt(col("v"), int(0)));
    const out = apply(filter(windowNode(base(), win("dense_rank")), pred));
    expect(out.kind).toBe("Filter");
    expect((out as LogicalPlan & { kind: "Filter" }).predicate).toEqual(pred);
    expect(limitOf(out)).toEqual({ column: "rn", fn: "dense_rank", k: 3 });
  });

  it("takes the tightest bound of several rank-like columns with one spec", () => {
    const plan = filter(windowNode(base(), win("rank", "r"), win("row_number", "n")), and(bin("<=", col("r"), int(5)), bin("<=", col("n"), int(2))));
    expect(limitOf(apply(plan))).toEqual({ column: "n", fn: "row_number", k: 2 });
  });

  it("does not rewrite when another window function needs the whole partition", () => {
    const sumOver = alias(over(agg("sum", col("v"))), "total");
    const lag = alias(over({ kind: "Ranking", fn: "lag", args: [col("v")] }), "prev");
    for (const other of [sumOver, lag]) {
      const plan = filter(windowNode(base(), win("row_number"), other), bin("<=", col("rn"), int(2)));
      expect(limitOf(apply(plan))).toBeUndefined();
    }
  });

  it("does not rewrite rank-like columns with different specs, no order, or a disjunction", () => {
    const twoSpecs = windowNode(base(), win("row_number"), win("rank", "r2", [col("x")]));
    expect(limitOf(apply(filter(twoSpecs, bin("<=", col("rn"), int(2)))))).toBeUndefined();
    const unordered = windowNode(base(), win("row_number", "rn", [col("g")], []));
    expect(limitOf(apply(filter(unordered, bin("<=", col("rn"), int(2)))))).toBeUndefined();
    const w = windowNode(base(), win("row_number"));
    expect(limitOf(apply(filter(w, or(bin("<=", col("rn"), int(2)), gt(col("v"), int(0))))))).toBeUndefined();
    expect(limitOf(apply(filter(w, bin(">=", col("rn"), int(2)))))).toBeUndefined();
    expect(limitOf(apply(filter(w, isNotNull(col("rn")))))).toBeUndefined();
  });

  it("skips k above the threshold (the limit would cost more than it saves)", () => {
    const w = windowNode(base(), win("row_number"));
    expect(limitOf(apply(filter(w, bin("<=", col("rn"), int(WINDOW_GROUP_LIMIT_THRESHOLD + 1)))))).toBeUndefined();
    expect(limitOf(apply(filter(w, bin("<=", col("rn"), int(WINDOW_GROUP_LIMIT_THRESHOLD)))))).toMatchObject({ k: WINDOW_GROUP_LIMIT_THRESHOLD });
  });

  it("a bound no row can meet gives k = 0", () => {
    const w = windowNode(base(), win("row_number"));
    expect(limitOf(apply(filter(w, bin("<=", col("rn"), int(0)))))).toMatchObject({ k: 0 });
    expect(limitOf(apply(filter(w, bin("=", col("rn"), double(1.5)))))).toMatchObject({ k: 0 });
  });

  it("clears a limit whose filter is gone, and is a no-op on its own output", () => {
    const limited = apply(filter(windowNode(base(), win("row_number")), bin("<=", col("rn"), int(2))));
    expect(apply(limited)).toBe(limited);
    const inner = (limited as LogicalPlan & { kind: "Filter" }).input;
    expect(limitOf(apply(project(inner, col("g"), col("rn"))))).toBeUndefined();
  });

  it("survives the whole optimizer (pushdown and pruning) with the window column still filtered", () => {
    const plan = project(filter(windowNode(base(), win("row_number")), and(bin("<=", col("rn"), int(2)), gt(col("g"), int(3)))), col("g"), col("v"));
    const out = optimize(plan).plan;
    expect(limitOf(out)).toEqual({ column: "rn", fn: "row_number", k: 2 });
  });
});
