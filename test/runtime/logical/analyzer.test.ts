import { describe, expect, it } from "vitest";
import { col, F, lit, session, when, Window } from "../../../runtime/index.js";
import type { Expr } from "../../../runtime/expr/ir.js";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";

const s = session({ workers: 2 });
const events = s.createDataFrame(
  [
    { user_id: 1, event: "click", amount: 2.5, ts: new Date("2024-01-01T10:00:00Z"), country: "NO" },
    { user_id: 2, event: "buy", amount: null, ts: new Date("2024-01-02T11:00:00Z"), country: null },
  ],
  { user_id: "int64", event: "string", amount: "float64", ts: "timestamp", country: "string" },
);
const users = s.createDataFrame([{ user_id: 1, name: "a" }, { user_id: 2, name: "b" }], { user_id: "int64", name: "string" });

function top(plan: LogicalPlan): LogicalPlan {
  return plan;
}

describe("name resolution", () => {
  it("suggests the closest column for a typo", () => {
    expect(() => events.select(col("usr_id"))).toThrow('Column "usr_id" not found; did you mean "user_id"?');
    expect(() => events.filter(col("amout").gt(1))).toThrow(/did you mean "amount"/);
  });

  it("starts the error's stack at the user's call, not inside the analyzer", () => {
    let stack = "";
    try {
      events.groupBy("user_id").agg(F.sum("amout"));
    } catch (e) {
      stack = (e as Error).stack ?? "";
    }
    const firstFrame = stack.split("\n").find((l) => l.trimStart().startsWith("at ")) ?? "";
    expect(firstFrame).toContain("analyzer.test.ts");
  });

  it("lists the available columns when nothing is close", () => {
    expect(() => events.select("zzzzzz")).toThrow(/Available columns: user_id, event, amount, ts, country/);
  });

  it("reports ambiguous columns after a join and says how to qualify them", () => {
    const joined = events.join(users, col("amount").gt(0));
    expect(() => joined.select("user_id")).toThrow(/ambiguous.*alias\("o"\)/);
    const aliased = events.alias("e").join(users.alias("u"), col("e.user_id").eq(col("u.user_id")));
    expect(aliased.select("e.user_id", "name").columns).toEqual(["user_id", "name"]);
    expect(() => aliased.select("user_id")).toThrow(/write col\("e.user_id"\) or col\("u.user_id"\)/);
  });

  it("resolves qualified names after alias", () => {
    const e = events.alias("e");
    const plan = e.select(col("e.amount")).plan as LogicalPlan & { kind: "Project" };
    expect(plan.exprs[0]).toEqual({ kind: "Column", name: "amount", qualifier: "e" });
  });
});

describe("types", () => {
  it("names both types and the expression on a mismatch", () => {
    expect(() => events.select(col("event").add(1))).toThrow(/Type mismatch in \(event \+ 1\): cannot apply "\+" to string and int32/);
    expect(() => events.filter(col("amount"))).toThrow(/filter\(\) needs a boolean condition.*float64/);
  });

  it("inserts implicit casts so both operands share a type", () => {
    const df = events.select(col("user_id").add(col("amount")).alias("x"));
    const p = df.plan as LogicalPlan & { kind: "Project" };
    const alias = p.exprs[0] as Expr & { kind: "Alias" };
    expect(alias.expr).toMatchObject({ kind: "Binary", op: "+", left: { kind: "Cast", to: { kind: "float64" } }, right: { kind: "Column", name: "amount" } });
    expect(df.dtypes).toEqual([["x", "float64"]]);
  });

  it("types literals against columns without needless casts", () => {
    const f = events.filter(col("user_id").gt(5)).plan as LogicalPlan & { kind: "Filter" };
    expect(f.predicate).toMatchObject({ right: { kind: "Literal", value: 5n, type: { kind: "int64" } } });
  });

  it("parses a string literal compared with a timestamp", () => {
    const f = events.filter(col("ts").ge("2024-01-02")).plan as LogicalPlan & { kind: "Filter" };
    expect(f.predicate).toMatchObject({ right: { kind: "Cast", to: { kind: "timestamp" } } });
  });

  it("unifies when() branches and rejects mixed types", () => {
    const df = events.select(when(col("amount").gt(1), 1).when(col("amount").gt(0), 0.5).otherwise(null).alias("b"));
    expect(df.dtypes).toEqual([["b", "float64"]]);
    expect(() => events.select(when(col("amount").gt(1), 1).otherwise("x"))).toThrow(/branches mix/);
  });

  it("checks function arguments through the registry", () => {
    expect(events.select(F.lower("event")).dtypes).toEqual([["lower(event)", "string"]]);
    expect(events.select(F.year("ts")).schema.fields[0]!.type.kind).toBe("int32");
    expect(() => events.select(F.dateTrunc("day", col("amount")))).toThrow(/Type mismatch in date_trunc/);
  });

  it("rejects casts that make no sense", () => {
    expect(() => events.select(col("ts").cast("bool"))).toThrow(/Cannot cast timestamp to bool/);
    expect(events.select(col("event").cast("int64")).dtypes).toEqual([["CAST(event AS int64)", "int64"]]);
  });
});

describe("aggregates", () => {
  it("rejects an aggregate in a filter", () => {
    expect(() => events.filter(F.sum("amount").gt(1))).toThrow(/Aggregate sum\(amount\) is not allowed in filter/);
  });

  it("rejects a column that is neither grouped nor aggregated", () => {
    expect(() => events.groupBy("user_id").agg(col("event"))).toThrow(
      'Column "event" in agg() is neither grouped nor aggregated; add it to groupBy(...) or wrap it in an aggregate such as F.first("event")',
    );
  });

  it("allows expressions over grouping columns and aggregates", () => {
    const df = events.groupBy("user_id").agg(F.sum("amount").div(F.count("*")).alias("avg_amount"), col("user_id").add(1).alias("next"));
    expect(df.columns).toEqual(["user_id", "avg_amount", "next"]);
    const plan = df.plan as LogicalPlan & { kind: "Aggregate" };
    expect(plan.aggs.every((a) => a.kind === "Alias")).toBe(true);
  });

  it("turns a select of aggregates into a global aggregate", () => {
    const df = events.select(F.max("amount"), F.count());
    expect(df.plan.kind).toBe("Aggregate");
    expect(df.dtypes).toEqual([["max(amount)", "float64"], ["count(1)", "int64"]]);
    expect(() => events.select(F.max("amount"), col("event"))).toThrow(/mixes aggregates with the plain column "event"/);
  });

  it("rejects nested aggregates", () => {
    expect(() => events.groupBy("user_id").agg(F.sum(F.max("amount")))).toThrow(/cannot be nested/);
  });
});

describe("windows", () => {
  it("puts window expressions into a Window node", () => {
    const w = Window.partitionBy("user_id").orderBy("ts");
    const df = events.withColumn("rn", F.rowNumber().over(w)).withColumn("prev", F.lag("amount", 1).over(w));
    expect(df.columns).toEqual(["user_id", "event", "amount", "ts", "country", "rn", "prev"]);
    expect(df.plan.kind).toBe("Window");
    expect(df.dtypes.slice(5)).toEqual([["rn", "int32"], ["prev", "float64"]]);
  });

  it("computes expressions over window results in a Project above the Window", () => {
    const w = Window.partitionBy("user_id");
    const df = events.select(col("amount").div(F.sum("amount").over(w)).alias("share"));
    expect(top(df.plan).kind).toBe("Project");
    expect((df.plan as LogicalPlan & { kind: "Project" }).input.kind).toBe("Window");
    expect(df.columns).toEqual(["share"]);
  });

  it("requires an ordered window for ranking functions", () => {
    expect(() => events.withColumn("r", F.rank().over(Window.partitionBy("user_id")))).toThrow(/needs an ordered window/);
    expect(() => events.withColumn("r", F.rank())).toThrow(/needs a window/);
  });

  it("requires one numeric or temporal order key for range frames with offsets", () => {
    const bad = Window.partitionBy("user_id").orderBy("event").rangeBetween(-6, 0);
    expect(() => events.withColumn("x", F.avg("amount").over(bad))).toThrow(/rangeBetween .* needs a numeric, date or timestamp/);
  });

  it("rejects window functions in filters", () => {
    expect(() => events.filter(F.rowNumber().over(Window.orderBy("ts")).eq(1))).toThrow(/not allowed in filter/);
  });
});

describe("misc analysis", () => {
  it("casts union inputs to a common type", () => {
    const a = s.createDataFrame([{ x: 1 }]);
    const b = s.createDataFrame([{ x: 2.5 }]);
    expect(a.union(b).dtypes).toEqual([["x", "float64"]]);
    expect(() => a.union(events)).toThrow(/input 2 has 5 columns but the first has 1/);
  });

  it("reports an unknown function with a suggestion", () => {
    const bad = { kind: "Call", fn: "lowr", args: [{ kind: "Column", name: "event" }] } as const;
    expect(() => events.select(new (col("x").constructor as new (e: Expr) => ReturnType<typeof col>)(bad))).toThrow(/Unknown function "lowr"; did you mean "lower"/);
  });

  it("keeps literals as typed literals", () => {
    expect(events.select(lit(5n).alias("a"), lit(1.5).alias("b"), lit("x").alias("c")).dtypes).toEqual([["a", "int64"], ["b", "float64"], ["c", "string"]]);
  });
});
