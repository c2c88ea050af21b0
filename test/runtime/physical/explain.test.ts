import { describe, expect, it } from "vitest";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { optimize } from "../../../runtime/optimizer/index.js";
import { explainPlans } from "../../../runtime/physical/explain.js";
import { createPhysicalPlan, plannerContext } from "../../../runtime/physical/planner.js";
import { printExpr } from "../../../runtime/physical/print-expr.js";
import { Types } from "../../../runtime/expr/types.js";
import { agg, aggregate, alias, and, bin, col, filter, gt, int, isNull, join, not, scan, str } from "../optimizer/builders.js";

const orders = () => scan({ user_id: "int32", amount: "float64", note: "string" }, { id: "orders", rows: 1e7, bytes: 1e9 });
const users = (bytes: number) => scan({ uid: "int32", country: "string" }, { id: "users", rows: 100, bytes });

function explain(mode: "simple" | "extended" | "formatted" | "cost", analyzed: LogicalPlan, shufflePartitions = 8): string {
  const optimized = optimize(analyzed).plan;
  const physical = createPhysicalPlan(optimized, plannerContext({ shufflePartitions }));
  return explainPlans(mode, { analyzed, optimized, physical });
}

const totals = () => aggregate(filter(orders(), gt(col("amount"), int(100))), [col("user_id")], [alias(agg("sum", col("amount")), "total")]);

describe("explain", () => {
  it("prints the physical plan in Spark's shape with stage marks and pushed filters", () => {
    expect(explain("simple", totals())).toBe([
      "== Physical Plan ==",
      "*(2) HashAggregate(keys=[user_id], functions=[sum(amount)])",
      "+- Exchange hashpartitioning(user_id, 8)",
      "   +- *(1) HashAggregate(keys=[user_id], functions=[partial_sum(amount)])",
      // The scan applies its pushed filters row by row: no second Filter tests them again.
      "      +- *(1) Scan memory orders [user_id, amount] PushedFilters: [(amount > 100)]",
      "",
    ].join("\n"));
  });

  it("shows a broadcast hash join with its build side and both join inputs", () => {
    const text = explain("simple", join(orders(), users(1000), "inner", [[col("user_id"), col("uid")]]));
    expect(text).toContain("BroadcastHashJoin [user_id], [uid], Inner, BuildRight");
    // Null keys never match: both inputs drop them before the join (InferJoinKeyNotNull).
    expect(text).toContain(":- *(2) Scan memory orders [user_id, amount, note] PushedFilters: [isnotnull(user_id)]");
    expect(text).toContain("+- *(1) Scan memory users [uid, country] PushedFilters: [isnotnull(uid)]");
    expect(text).not.toMatch(/- \*\(\d\) Filter /);
    expect(text).toContain("+- BroadcastExchange");
    const shuffled = explain("simple", join(orders(), users(1e9), "inner", [[col("user_id"), col("uid")]]));
    expect(shuffled).toContain("ShuffledHashJoin [user_id], [uid], Inner, BuildRight");
    expect(shuffled.match(/Exchange hashpartitioning/g)).toHaveLength(2);
  });

  it("extended mode prints every plan and the optimized one shows what pushdown and pruning did", () => {
    const text = explain("extended", totals());
    const sections = ["== Parsed Logical Plan ==", "== Analyzed Logical Plan ==", "== Optimized Logical Plan ==", "== Physical Plan =="];
    const at = sections.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const optimized = text.slice(at[2], at[3]);
    expect(optimized).toContain("Relation memory orders [user_id, amount] PushedFilters: [(amount > 100)]");
    expect(text.slice(at[1], at[2])).toContain("Relation memory orders [user_id, amount, note]");
  });

  it("formatted mode numbers operators leaves-first and details each one", () => {
    // A filter on the aggregate's output (HAVING) cannot go below it: it stays a Filter operator.
    const text = explain("formatted", filter(totals(), gt(col("total"), int(5))));
    expect(text).toContain("* Filter (5)\n+- * HashAggregate (4)\n   +- Exchange (3)\n      +- * HashAggregate (2)\n         +- * Scan memory (1)");
    expect(text).toContain("(1) Scan memory [codegen id : 1]\nOutput [2]: [user_id, amount]\nSource: memory orders\nPushedFilters: [(amount > 100)]");
    expect(text).toContain("(5) Filter [codegen id : 2]\nInput [2]: [user_id, total]\nCondition : (total > 5)");
    expect(text).toContain("(3) Exchange\nInput [2]: [user_id, total]\nArguments: hashpartitioning(user_id, 8)");
    expect(text).toContain("Mode: partial");
  });

  it("cost mode annotates the optimized plan with size estimates", () => {
    expect(explain("cost", totals())).toMatch(/Relation memory orders \[user_id, amount\].*Statistics\(sizeInBytes=953\.7 MiB, rowCount=10000000\)/);
  });
});

describe("range sources", () => {
  it("prints a range scan like Spark's Range", () => {
    const range: LogicalPlan = {
      kind: "Scan", source: { kind: "range", start: 0n, end: 10n, step: 1n, partitions: 2 }, filters: [],
      schema: { fields: [{ name: "id", type: Types.int64, nullable: false }] },
    };
    expect(explain("simple", range)).toBe("== Physical Plan ==\n*(1) Range (0, 10, step=1, splits=2)\n");
  });
});

describe("printExpr", () => {
  it("prints expressions like Spark without expression ids", () => {
    expect(printExpr(and(gt(col("amount"), int(100)), not(isNull(col("note", "o")))))).toBe("((amount > 100) AND NOT isnull(o.note))");
    expect(printExpr(alias(bin("/", col("a"), int(2)), "half"))).toBe("(a / 2) AS half");
    expect(printExpr({ kind: "Literal", value: 19000, type: Types.date })).toBe("DATE '2022-01-08'");
    expect(printExpr({ kind: "In", expr: col("c"), list: [str("DE"), str("NO")], negated: false })).toBe("c IN ('DE', 'NO')");
    expect(printExpr(agg("count"))).toBe("count(1)");
    expect(printExpr({ kind: "Literal", value: 12345n, type: Types.decimal(10, 2) })).toBe("123.45");
  });
});

describe("exchange reuse", () => {
  it("computes an aggregate joined with itself once and prints the second use as ReusedExchange", () => {
    const perUser = () => aggregate(orders(), [col("user_id")], [alias(agg("sum", col("amount")), "total")]);
    const selfJoin = join(perUser(), perUser(), "inner", [[col("user_id"), col("user_id")]]);
    const optimized = optimize(selfJoin).plan;
    const physical = createPhysicalPlan(optimized, plannerContext({ shufflePartitions: 8, autoBroadcastThreshold: -1 }));
    if (physical.kind !== "HashJoinExec" || physical.left.kind !== "HashAggregateExec" || physical.right.kind !== "HashAggregateExec") throw new Error("shape");
    // Both final aggregates read the very same exchange node, so its map stage runs once.
    expect(physical.left.input).toBe(physical.right.input);
    expect(physical.left.input.kind).toBe("ShuffleExchangeExec");
    const text = explainPlans("simple", { analyzed: selfJoin, optimized, physical });
    expect(text.match(/ReusedExchange \[user_id, total\], Exchange hashpartitioning\(user_id, 8\)/g)).toHaveLength(1);
    expect(text.match(/partial_sum/g)).toHaveLength(1);
    const outline = explainPlans("formatted", { analyzed: selfJoin, optimized, physical }).split("\n\n\n")[0]!;
    expect(outline.match(/ReusedExchange \(\d+\)/g)).toHaveLength(1);
    expect(outline.match(/\* Scan memory/g)).toHaveLength(1);
  });
});
