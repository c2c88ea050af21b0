import { describe, expect, it } from "vitest";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { optimize } from "../../../runtime/optimizer/index.js";
import { eliminateOuterJoin } from "../../../runtime/optimizer/rules/eliminate-outer-join.js";
import { pushDownFilter } from "../../../runtime/optimizer/rules/push-down-filter.js";
import {
  aggregate, agg, alias, and, bin, col, eq, filter, gt, int, isNull, join, limit, nodes, or, project, scan, spine,
  subqueryAlias, union, cache,
} from "./builders.js";

const orders = () => scan({ oid: "int32", user_id: "int32", amount: "float64" });
const users = () => scan({ uid: "int32", country: "string", age: "int32" });
const apply = (p: LogicalPlan) => pushDownFilter.apply(p, {});
const filtersOf = (p: LogicalPlan) => nodes(p).filter((n) => n.kind === "Filter").map((n) => (n.kind === "Filter" ? n.predicate : undefined));

describe("PushDownFilter", () => {
  it("moves a filter below a projection, rewriting aliases to their definitions, and into the scan", () => {
    const t = orders();
    const plan = filter(project(t, alias(bin("*", col("amount"), int(2)), "double_amount"), col("user_id")), gt(col("double_amount"), int(100)));
    const out = apply(plan);
    expect(spine(out)).toEqual(["Project", "Filter", "Scan"]);
    const pushed = gt(bin("*", col("amount"), int(2)), int(100));
    expect(filtersOf(out)).toEqual([pushed]);
    const s = nodes(out).at(-1)!;
    expect(s.kind === "Scan" && s.filters).toEqual([pushed]);
  });

  it("splits conjuncts of a filter over an inner join to the side each reads", () => {
    const plan = filter(
      join(orders(), users(), "inner", [[col("user_id"), col("uid")]]),
      and(and(gt(col("amount"), int(10)), eq(col("country"), { kind: "Literal", value: "DE", type: { kind: "string" } })), gt(col("age"), col("oid"))),
    );
    const out = apply(plan);
    expect(out.kind).toBe("Join");
    if (out.kind !== "Join") return;
    expect(spine(out.left)).toEqual(["Filter", "Scan"]);
    expect(spine(out.right)).toEqual(["Filter", "Scan"]);
    // The predicate over both sides becomes the join's condition.
    expect(out.condition).toEqual(gt(col("age"), col("oid")));
  });

  it("keeps right-side predicates above a left join (they would turn unmatched rows into matches)", () => {
    const plan = filter(join(orders(), users(), "left", [[col("user_id"), col("uid")]]), and(gt(col("amount"), int(10)), isNull(col("country"))));
    const out = apply(plan);
    expect(out.kind).toBe("Filter");
    if (out.kind !== "Filter" || out.input.kind !== "Join") throw new Error("shape");
    expect(out.predicate).toEqual(isNull(col("country")));
    expect(spine(out.input.left)).toEqual(["Filter", "Scan"]);
    expect(out.input.right.kind).toBe("Scan");
  });

  it("pushes nothing through a full outer join", () => {
    const plan = filter(join(orders(), users(), "full", [[col("user_id"), col("uid")]]), gt(col("amount"), int(10)));
    expect(apply(plan)).toEqual(plan);
  });

  it("pushes a left join's ON condition on the right side into the right input only", () => {
    const plan = join(orders(), users(), "left", [[col("user_id"), col("uid")]], { condition: and(gt(col("age"), int(18)), gt(col("amount"), int(5))) });
    const out = apply(plan);
    if (out.kind !== "Join") throw new Error("shape");
    expect(spine(out.right)).toEqual(["Filter", "Scan"]);
    expect(out.left.kind).toBe("Scan");
    expect(out.condition).toEqual(gt(col("amount"), int(5)));
  });

  it("extracts equi-join keys from a filter over a cross join", () => {
    const plan = filter(join(orders(), users(), "cross", []), eq(col("user_id"), col("uid")));
    const out = apply(plan);
    if (out.kind !== "Join") throw new Error("shape");
    expect(out.how).toBe("inner");
    expect(out.on).toEqual([{ left: col("user_id"), right: col("uid") }]);
    expect(out.condition).toBeUndefined();
  });

  it("pushes predicates on grouping keys below an aggregate and keeps predicates on aggregates above", () => {
    const plan = filter(aggregate(orders(), [col("user_id")], [alias(agg("sum", col("amount")), "total")]), and(gt(col("user_id"), int(3)), gt(col("total"), int(100))));
    const out = apply(plan);
    expect(spine(out)).toEqual(["Filter", "Aggregate", "Filter", "Scan"]);
    expect(filtersOf(out)).toEqual([gt(col("total"), int(100)), gt(col("user_id"), int(3))]);
  });

  it("pushes into every union input and through a subquery alias", () => {
    const plan = filter(union(subqueryAlias(orders(), "o"), orders()), gt(col("amount", "o"), int(1)));
    const out = apply(plan);
    if (out.kind !== "Union") throw new Error("shape");
    expect(spine(out.inputs[0]!)).toEqual(["SubqueryAlias", "Filter", "Scan"]);
    expect(spine(out.inputs[1]!)).toEqual(["Filter", "Scan"]);
    expect(filtersOf(out.inputs[0]!)).toEqual([gt(col("amount"), int(1))]);
  });

  it("never moves a filter below a limit or a cache", () => {
    const viaLimit = filter(limit(orders(), 10), gt(col("amount"), int(1)));
    expect(spine(apply(viaLimit))).toEqual(["Filter", "Limit", "Scan"]);
    const viaCache = filter(cache(orders(), "c1"), gt(col("amount"), int(1)));
    expect(spine(apply(viaCache))).toEqual(["Filter", "Cache", "Scan"]);
  });
});

describe("EliminateOuterJoin", () => {
  it("turns a left join into an inner join under a null-rejecting filter on the right side", () => {
    const plan = filter(join(orders(), users(), "left", [[col("user_id"), col("uid")]]), gt(col("age"), int(18)));
    const out = eliminateOuterJoin.apply(plan, {});
    expect(out.kind === "Filter" && out.input.kind === "Join" && out.input.how).toBe("inner");
  });

  it("keeps the left join when the filter accepts nulls from the right side", () => {
    for (const pred of [isNull(col("age")), or(gt(col("age"), int(18)), gt(col("amount"), int(1)))]) {
      const plan = filter(join(orders(), users(), "left", [[col("user_id"), col("uid")]]), pred);
      expect(eliminateOuterJoin.apply(plan, {})).toEqual(plan);
    }
  });

  it("lets the whole optimizer push both sides after strengthening a full join", () => {
    const plan = filter(join(orders(), users(), "full", [[col("user_id"), col("uid")]]), and(gt(col("age"), int(18)), gt(col("amount"), int(1))));
    const { plan: out } = optimize(plan);
    const j = nodes(out).find((n) => n.kind === "Join");
    expect(j?.kind === "Join" && j.how).toBe("inner");
    if (j?.kind !== "Join") return;
    expect(nodes(j.left).some((n) => n.kind === "Filter")).toBe(true);
    expect(nodes(j.right).some((n) => n.kind === "Filter")).toBe(true);
  });
});
