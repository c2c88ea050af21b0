import { describe, expect, it } from "vitest";
import { collapseProjections } from "../../../runtime/optimizer/rules/collapse-projections.js";
import { combineFilters } from "../../../runtime/optimizer/rules/combine-filters.js";
import { eliminateDistinct } from "../../../runtime/optimizer/rules/eliminate-distinct.js";
import { eliminateRepartitions } from "../../../runtime/optimizer/rules/eliminate-repartitions.js";
import { eliminateSorts } from "../../../runtime/optimizer/rules/eliminate-sorts.js";
import { pushDownLimit } from "../../../runtime/optimizer/rules/push-down-limit.js";
import {
  agg, aggregate, alias, and, asc, bin, col, distinct, filter, gt, int, join, limit, project, repartition, scan, sort, spine, union,
} from "./builders.js";

const t = () => scan({ a: "int32", b: "int32" });

describe("CombineFilters", () => {
  it("merges stacked filters into one conjunction without duplicates", () => {
    const out = combineFilters.apply(filter(filter(t(), gt(col("a"), int(1))), and(gt(col("b"), int(2)), gt(col("a"), int(1)))), {});
    expect(spine(out)).toEqual(["Filter", "Scan"]);
    expect(out.kind === "Filter" && out.predicate).toEqual(and(gt(col("a"), int(1)), gt(col("b"), int(2))));
  });
});

describe("CollapseProjections", () => {
  it("inlines the inner projection's definitions and keeps output names", () => {
    const inner = project(t(), alias(bin("+", col("a"), int(1)), "a1"), col("b"));
    const out = collapseProjections.apply(project(inner, alias(bin("*", col("a1"), int(2)), "x"), col("b")), {});
    expect(spine(out)).toEqual(["Project", "Scan"]);
    expect(out.kind === "Project" && out.exprs).toEqual([alias(bin("*", bin("+", col("a"), int(1)), int(2)), "x"), col("b")]);
  });

  it("does not copy a computed column into two places (chained withColumn would grow exponentially)", () => {
    const inner = project(t(), alias(bin("+", col("a"), col("a")), "a2"));
    const q = project(inner, alias(bin("+", col("a2"), col("a2")), "a4"));
    expect(spine(collapseProjections.apply(q, {}))).toEqual(["Project", "Project", "Scan"]);
  });

  it("removes a projection that returns its input unchanged", () => {
    expect(spine(collapseProjections.apply(project(t(), col("a"), col("b")), {}))).toEqual(["Scan"]);
  });

  it("does not duplicate a UDF call used twice", () => {
    const udf = { kind: "Udf" as const, name: "slow", source: "(x) => x", returnType: { kind: "int32" as const }, args: [col("a")] };
    const inner = project(t(), alias(udf, "u"));
    const q = project(inner, alias(bin("+", col("u"), col("u")), "twice"));
    expect(spine(collapseProjections.apply(q, {}))).toEqual(["Project", "Project", "Scan"]);
  });
});

describe("PushDownLimit", () => {
  it("merges limits, moves them below projections and into the scan", () => {
    const out = pushDownLimit.apply(limit(project(limit(t(), 10), col("a")), 5), {});
    expect(spine(out)).toEqual(["Project", "Limit", "Scan"]);
    if (out.kind !== "Project" || out.input.kind !== "Limit" || out.input.input.kind !== "Scan") throw new Error("shape");
    expect(out.input.n).toBe(5);
    expect(out.input.input.limit).toBe(5);
  });

  it("combines offsets: limit(3) of (limit 10 offset 2) offset 4 keeps rows 6..8", () => {
    const out = pushDownLimit.apply(limit(limit(t(), 10, 2), 3, 4), {});
    expect(out.kind === "Limit" && [out.n, out.offset]).toEqual([3, 6]);
  });

  it("puts limit + offset into every union input and keeps the exact limit on top", () => {
    const out = pushDownLimit.apply(limit(union(t(), t()), 3, 1), {});
    if (out.kind !== "Limit" || out.input.kind !== "Union") throw new Error("shape");
    expect(out.input.inputs.map((i) => i.kind === "Limit" && i.n)).toEqual([4, 4]);
  });
});

describe("EliminateSorts", () => {
  it("drops a sort under another sort, under a join, and under an order-insensitive aggregate", () => {
    expect(spine(eliminateSorts.apply(sort(project(sort(t(), asc(col("a"))), col("a")), asc(col("a"))), {}))).toEqual(["Sort", "Project", "Scan"]);
    const j = eliminateSorts.apply(join(sort(t(), asc(col("a"))), t(), "inner", [[col("a"), col("a")]]), {});
    expect(j.kind === "Join" && j.left.kind).toBe("Scan");
    expect(spine(eliminateSorts.apply(aggregate(sort(t(), asc(col("b"))), [col("a")], [alias(agg("sum", col("b")), "s")]), {}))).toEqual(["Aggregate", "Scan"]);
  });

  it("keeps a sort that first() or a limit can observe", () => {
    const first = aggregate(sort(t(), asc(col("b"))), [col("a")], [alias(agg("first", col("b")), "f")]);
    expect(spine(eliminateSorts.apply(first, {}))).toEqual(["Aggregate", "Sort", "Scan"]);
    const topk = sort(limit(sort(t(), asc(col("b"))), 3), asc(col("a")));
    expect(spine(eliminateSorts.apply(topk, {}))).toEqual(["Sort", "Limit", "Sort", "Scan"]);
  });
});

describe("EliminateDistinct", () => {
  it("removes distinct of distinct and distinct over a group-by on the same keys", () => {
    expect(spine(eliminateDistinct.apply(distinct(distinct(t())), {}))).toEqual(["Distinct", "Scan"]);
    const grouped = aggregate(t(), [col("a")], [alias(agg("count"), "n")]);
    expect(spine(eliminateDistinct.apply(distinct(grouped), {}))).toEqual(["Aggregate", "Scan"]);
  });

  it("keeps a dropDuplicates whose keys are not unique in its input", () => {
    const grouped = aggregate(t(), [col("a"), col("b")], [alias(agg("count"), "n")]);
    expect(spine(eliminateDistinct.apply(distinct(grouped, ["a"]), {}))).toEqual(["Distinct", "Aggregate", "Scan"]);
  });
});

describe("EliminateRepartitions", () => {
  it("keeps only the outer of two shuffles and the smaller of two coalesces", () => {
    const twice = repartition(repartition(t(), { kind: "roundRobin", n: 4 }), { kind: "hash", keys: [col("a")], n: 8 });
    const out = eliminateRepartitions.apply(twice, {});
    expect(spine(out)).toEqual(["Repartition", "Scan"]);
    const coalesced = eliminateRepartitions.apply(repartition(repartition(t(), { kind: "coalesce", n: 4 }), { kind: "coalesce", n: 6 }), {});
    expect(coalesced.kind === "Repartition" && coalesced.scheme).toEqual({ kind: "coalesce", n: 4 });
  });

  it("drops a coalesce that would not reduce a shuffle's partition count", () => {
    const q = repartition(repartition(t(), { kind: "hash", keys: [col("a")], n: 4 }), { kind: "coalesce", n: 8 });
    const out = eliminateRepartitions.apply(q, {});
    expect(out.kind === "Repartition" && out.scheme.kind).toBe("hash");
  });
});

describe("PushDownLimit through outer joins", () => {
  it("limits the preserved side of a left join and nothing of an inner join", () => {
    const left = pushDownLimit.apply(limit(join(t(), scan({ k: "int32" }), "left", [[col("a"), col("k")]]), 5), {});
    if (left.kind !== "Limit" || left.input.kind !== "Join") throw new Error("shape");
    expect(left.input.left.kind === "Limit" && left.input.left.n).toBe(5);
    expect(left.input.right.kind).toBe("Scan");
    const inner = limit(join(t(), scan({ k: "int32" }), "inner", [[col("a"), col("k")]]), 5);
    expect(pushDownLimit.apply(inner, {})).toBe(inner);
  });
});
