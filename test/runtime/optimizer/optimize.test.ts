import { describe, expect, it } from "vitest";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { optimize, OptimizerInvariantError, type OptimizerRule } from "../../../runtime/optimizer/index.js";
import { col as apiCol, F, session } from "../../../runtime/index.js";
import { and, bool, col, filter, gt, int, nodes, project, scan, spine } from "./builders.js";

const t = () => scan({ a: "int32", b: "int32", c: "string" });

describe("optimize()", () => {
  it("runs the rules to a fixed point and records which ones changed the plan", () => {
    const q = project(filter(filter(t(), gt(col("a"), int(1))), and(bool(true), gt(col("b"), int(2)))), col("a"));
    const { plan, trace } = optimize(q);
    expect(spine(plan)).toEqual(["Project", "Filter", "Scan"]);
    const s = nodes(plan).at(-1)!;
    expect(s.kind === "Scan" && [s.projection, s.filters.length]).toEqual([["a", "b"], 2]);
    const changed = new Set(trace.filter((t) => t.changed).map((t) => t.rule));
    expect(changed).toEqual(new Set(["SimplifyExpressions", "CombineFilters", "PushDownFilter", "PruneColumns"]));
    // The last pass changed nothing: a fixed point.
    expect(trace.slice(-11).every((t) => !t.changed)).toBe(true);
  });

  it("skips disabled rules", () => {
    const q = filter(filter(t(), gt(col("a"), int(1))), gt(col("b"), int(2)));
    const { trace } = optimize(q, { disabledRules: ["CombineFilters"] });
    expect(trace.some((t) => t.rule === "CombineFilters")).toBe(false);
  });

  it("names the rule that breaks an invariant", () => {
    const dropsColumn: OptimizerRule = {
      name: "BrokenRule",
      apply: (p: LogicalPlan) => (p.kind === "Project" ? { ...p, input: scan({ z: "int32" }) } : p),
    };
    expect(() => optimize(project(t(), col("a")), {}, [dropsColumn])).toThrow(OptimizerInvariantError);
    expect(() => optimize(project(t(), col("a")), {}, [dropsColumn])).toThrow(/BrokenRule.*column "a" not present/);
    const changesSchema: OptimizerRule = { name: "SchemaChanger", apply: (p) => (p.kind === "Project" ? p.input : p) };
    expect(() => optimize(project(t(), col("a")), {}, [changesSchema])).toThrow(/SchemaChanger.*result schema changed/);
  });
});

describe("skipFailedRules", () => {
  const throws: OptimizerRule = { name: "Throws", apply: () => { throw new Error("boom"); } };
  it("names a rule that throws, and with skipFailedRules runs on without it", () => {
    const q = filter(filter(t(), gt(col("a"), int(1))), gt(col("b"), int(2)));
    expect(() => optimize(q, {}, [throws])).toThrow(/Throws.*boom/);
    const { plan, trace } = optimize(q, { skipFailedRules: true });
    expect(spine(plan)).toEqual(["Filter", "Scan"]);
    const skipped = optimize(q, { skipFailedRules: true }, [throws]);
    expect(skipped.plan).toBe(q);
    expect(skipped.trace[0]).toEqual({ rule: "Throws", changed: false, error: "boom" });
    expect(trace.every((e) => e.error === undefined)).toBe(true);
  });
});

describe("optimize() on plans from the DataFrame API", () => {
  const s = session({ workers: 1 });
  const orders = s.createDataFrame([{ order_id: 1, user_id: 1, amount: 10.5, status: "paid" }], { order_id: "int64", user_id: "int64", amount: "float64", status: "string" });
  const users = s.createDataFrame([{ user_id: 1, country: "NO", age: 30 }], { user_id: "int64", country: "string", age: "int32" });

  it("pushes filters to both sides of a USING join and prunes columns", () => {
    const df = orders.join(users, { on: "user_id" }).filter(apiCol("country").eq("NO").and(apiCol("amount").gt(5))).select("user_id", "amount");
    const { plan } = optimize(df.plan);
    const j = nodes(plan).find((n) => n.kind === "Join");
    if (j?.kind !== "Join") throw new Error("no join");
    expect(spine(j.left)).toEqual(["Filter", "Scan"]);
    expect(spine(j.right)).toEqual(["Filter", "Scan"]);
    const [l, r] = nodes(plan).filter((n) => n.kind === "Scan");
    expect(l?.kind === "Scan" && l.projection).toEqual(["user_id", "amount"]);
    expect(r?.kind === "Scan" && r.projection).toEqual(["user_id", "country"]);
    expect(plan.schema).toEqual(df.plan.schema);
  });

  it("turns a left join into an inner join when the filter rejects missing right rows", () => {
    const df = orders.join(users, { on: "user_id", how: "left" }).filter(apiCol("age").gt(18));
    const j = nodes(optimize(df.plan).plan).find((n) => n.kind === "Join");
    expect(j?.kind === "Join" && j.how).toBe("inner");
  });

  it("pushes a filter on a grouping key below the aggregate", () => {
    const df = orders.groupBy("user_id").agg(F.sum("amount").alias("total")).filter(apiCol("user_id").gt(3));
    expect(spine(optimize(df.plan).plan)).toEqual(["Aggregate", "Filter", "Scan"]);
  });
});
