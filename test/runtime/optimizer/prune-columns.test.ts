import { describe, expect, it } from "vitest";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { pruneColumns } from "../../../runtime/optimizer/rules/prune-columns.js";
import { agg, aggregate, alias, asc, cache, col, distinct, filter, gt, int, join, nodes, project, scan, sort, union, windowNode } from "./builders.js";

const wide = () => scan({ a: "int32", b: "int32", c: "string", d: "float64" });
const apply = (p: LogicalPlan) => pruneColumns.apply(p, {});
const scans = (p: LogicalPlan) => nodes(p).filter((n): n is LogicalPlan & { kind: "Scan" } => n.kind === "Scan");
const names = (p: LogicalPlan) => p.schema.fields.map((f) => f.name);

describe("PruneColumns", () => {
  it("reads only the columns a projection and the filter below it use", () => {
    const out = apply(project(filter(wide(), gt(col("b"), int(1))), col("a")));
    expect(names(out)).toEqual(["a"]);
    expect(scans(out)[0]!.projection).toEqual(["a", "b"]);
    expect(names(nodes(out)[1]!)).toEqual(["a", "b"]);
  });

  it("drops unused aggregates and reads only what the kept ones need", () => {
    const q = project(aggregate(wide(), [col("a")], [alias(agg("sum", col("b")), "sb"), alias(agg("max", col("d")), "md")]), col("a"), col("sb"));
    const out = apply(q);
    const a = nodes(out).find((n) => n.kind === "Aggregate")!;
    expect(a.kind === "Aggregate" && a.aggs).toEqual([alias(agg("sum", col("b")), "sb")]);
    expect(names(a)).toEqual(["a", "sb"]);
    expect(scans(out)[0]!.projection).toEqual(["a", "b"]);
  });

  it("keeps one column under count(*) so rows can still be counted", () => {
    const out = apply(aggregate(wide(), [], [alias(agg("count"), "n")]));
    expect(scans(out)[0]!.projection).toEqual(["a"]);
  });

  it("prunes each join input to its used columns plus the join keys", () => {
    const users = scan({ uid: "int32", country: "string", age: "int32" });
    const q = project(join(wide(), users, "inner", [[col("a"), col("uid")]]), col("c"), col("country"));
    const out = apply(q);
    const [l, r] = scans(out);
    expect(l!.projection).toEqual(["a", "c"]);
    expect(r!.projection).toEqual(["uid", "country"]);
    const j = nodes(out).find((n) => n.kind === "Join")!;
    expect(names(j)).toEqual(["a", "c", "uid", "country"]);
  });

  it("drops a window whose output nobody reads", () => {
    const w = alias({ kind: "Window", fn: { kind: "Ranking", fn: "row_number", args: [] }, spec: { partitionBy: [col("a")], orderBy: [asc(col("b"))] } }, "rn");
    expect(nodes(apply(project(windowNode(wide(), w), col("c")))).map((n) => n.kind)).toEqual(["Project", "Scan"]);
    const kept = apply(project(windowNode(wide(), w), col("rn")));
    expect(scans(kept)[0]!.projection).toEqual(["a", "b"]);
  });

  it("trims every union input to the same columns, by position", () => {
    const other = scan({ w: "int32", x: "int32", y: "string", z: "float64" });
    const out = apply(project(union(wide(), other), col("c")));
    const u = nodes(out).find((n) => n.kind === "Union")!;
    expect(u.kind === "Union" && u.inputs.map(names)).toEqual([["c"], ["y"]]);
  });

  it("keeps all columns for distinct, a sort's keys, and everything under a cache", () => {
    expect(scans(apply(project(distinct(wide()), col("a"))))[0]!.projection).toBeUndefined();
    expect(scans(apply(project(sort(wide(), asc(col("d"))), col("a"))))[0]!.projection).toEqual(["a", "d"]);
    expect(scans(apply(project(cache(wide(), "c"), col("a"))))[0]!.projection).toBeUndefined();
  });

  it("keeps the result schema of the whole plan unchanged", () => {
    const q = filter(wide(), gt(col("a"), int(0)));
    expect(apply(q)).toEqual(q);
  });
});
