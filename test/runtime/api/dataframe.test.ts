import { describe, expect, it } from "vitest";
import { col, F, JUPYTER_DISPLAY, session } from "../../../runtime/index.js";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { exprToString } from "../../../runtime/expr/print.js";

const s = session({ workers: 2 });
const orders = s.createDataFrame(
  [{ order_id: 1, user_id: 1, amount: 10.5, status: "paid", category: "a" }],
  { order_id: "int64", user_id: "int64", amount: "float64", status: "string", category: "string" },
);
const users = s.createDataFrame([{ user_id: 1, country: "NO", age: 30 }], { user_id: "int64", country: "string", age: "int32" });

type Node<K extends LogicalPlan["kind"]> = LogicalPlan & { kind: K };

describe("projections", () => {
  it("select takes names, columns, arrays, * and a callback", () => {
    expect(orders.select("user_id", col("amount")).columns).toEqual(["user_id", "amount"]);
    expect(orders.select(["user_id", "status"]).columns).toEqual(["user_id", "status"]);
    expect(orders.select("*").columns).toEqual(orders.columns);
    expect(orders.select((c) => [c.amount!.mul(2).alias("double")]).columns).toEqual(["double"]);
  });

  it("withColumn replaces in place and appends new columns", () => {
    const df = orders.withColumns({ amount: col("amount").mul(100), cents: col("amount").cast("int64") });
    expect(df.columns).toEqual(["order_id", "user_id", "amount", "status", "category", "cents"]);
    expect(df.dtypes[5]).toEqual(["cents", "int64"]);
  });

  it("withColumnRenamed and drop check their names", () => {
    expect(orders.withColumnRenamed("amount", "total").columns).toContain("total");
    expect(() => orders.withColumnRenamed("amont", "x")).toThrow(/did you mean "amount"/);
    expect(orders.drop("status", col("category")).columns).toEqual(["order_id", "user_id", "amount"]);
    expect(() => orders.drop("stauts")).toThrow(/did you mean "status"/);
  });

  it("schema helpers describe the columns", () => {
    expect(orders.schemaString()).toContain(" |-- amount: float64 (nullable = true)");
    expect(orders.typeOf("status")).toEqual({ kind: "string" });
  });
});

describe("joins", () => {
  it("a USING join keeps one key column", () => {
    const df = orders.join(users, { on: "user_id", how: "left" });
    expect(df.columns).toEqual(["user_id", "order_id", "amount", "status", "category", "country", "age"]);
    const join = df.plan as Node<"Join">;
    expect(join.usingColumns).toEqual(["user_id"]);
    expect(join.how).toBe("left");
    expect(df.schema.fields.find((f) => f.name === "country")!.nullable).toBe(true);
  });

  it("accepts Spark's positional form and join type aliases", () => {
    expect((orders.join(users, ["user_id"], "left_outer").plan as Node<"Join">).how).toBe("left");
    expect((orders.join(users, "user_id", "outer").plan as Node<"Join">).how).toBe("full");
    expect(orders.join(users, "user_id", "left_semi").columns).toEqual(orders.columns);
    expect(orders.join(users, { on: "user_id", how: "anti" }).columns).toEqual(orders.columns);
    expect(() => orders.join(users, { on: "user_id", how: "sideways" as "inner" })).toThrow(/Unknown join type "sideways"/);
  });

  it("splits an expression condition into equi keys and a residual", () => {
    const o = orders.alias("o");
    const u = users.alias("u");
    const df = o.join(u, col("o.user_id").eq(col("u.user_id")).and(col("u.age").gt(col("o.amount"))));
    const join = df.plan as Node<"Join">;
    expect(join.on.map((k) => [exprToString(k.left), exprToString(k.right)])).toEqual([["o.user_id", "u.user_id"]]);
    expect(exprToString(join.condition!)).toBe("(CAST(u.age AS float64) > o.amount)");
    expect(df.columns).toHaveLength(8);
  });

  it("casts keys of different numeric types to a common type", () => {
    const small = s.createDataFrame([{ user_id: 1 }], { user_id: "int32" });
    const join = orders.join(small, "user_id").plan as Node<"Join">;
    expect(exprToString(join.on[0]!.right)).toBe("CAST(user_id AS int64)");
  });

  it("cross joins need no keys; other joins do", () => {
    expect(orders.crossJoin(users).columns).toHaveLength(8);
    expect(() => orders.join(users, { how: "inner", on: [] })).toThrow(/needs join keys/);
  });

  it("passes a broadcast hint", () => {
    expect((orders.join(users.hint("broadcast"), "user_id").plan as Node<"Join">).hint).toBe("broadcast");
  });
});

describe("grouping", () => {
  it("has count/sum/avg/min/max shortcuts", () => {
    expect(orders.groupBy("status").count().columns).toEqual(["status", "count"]);
    expect(orders.groupBy("status").sum().columns).toEqual(["status", "sum(order_id)", "sum(user_id)", "sum(amount)"]);
    expect(orders.groupBy("status").avg("amount").columns).toEqual(["status", "avg(amount)"]);
    expect(orders.groupBy("status").agg({ amount: "max", order_id: "count" }).columns).toEqual(["status", "max(amount)", "count(order_id)"]);
  });

  it("pivots into conditional aggregates, one column per value", () => {
    const df = orders.groupBy("user_id").pivot("category", ["a", "b"]).agg(F.sum("amount"));
    expect(df.columns).toEqual(["user_id", "a", "b"]);
    const agg = df.plan as Node<"Aggregate">;
    expect(exprToString(agg.aggs[0]!)).toBe("sum(CASE WHEN (category = 'a') THEN amount END) AS a");
    const two = orders.groupBy("user_id").pivot("category", ["a"]).agg(F.count("*").alias("n"), F.max("amount").alias("top"));
    expect(two.columns).toEqual(["user_id", "a_n", "a_top"]);
    expect(() => orders.groupBy("user_id").pivot("category")).toThrow(/pivot\(\) needs its values/);
  });
});

describe("rows", () => {
  it("orderBy keeps direction and null placement", () => {
    const sort = orders.orderBy(col("amount").desc(), "status").plan as Node<"Sort">;
    expect(sort.order.map((o) => [o.ascending, o.nullsFirst])).toEqual([[false, false], [true, true]]);
  });

  it("limit, distinct, dropDuplicates, sample, repartition and coalesce build their nodes", () => {
    expect(orders.limit(5).plan).toMatchObject({ kind: "Limit", n: 5, offset: 0 });
    expect(() => orders.limit(-1)).toThrow(/non-negative integer/);
    expect(orders.distinct().plan.kind).toBe("Distinct");
    expect(orders.dropDuplicates(["user_id"]).plan).toMatchObject({ kind: "Distinct", subset: ["user_id"] });
    expect(orders.sample(0.1, 7).plan).toMatchObject({ kind: "Sample", fraction: 0.1, seed: 7, withReplacement: false });
    expect(orders.repartition(8, "user_id").plan).toMatchObject({ kind: "Repartition", scheme: { kind: "hash", n: 8 } });
    expect(orders.repartition(4).plan).toMatchObject({ scheme: { kind: "roundRobin", n: 4 } });
    expect(orders.coalesce(1).plan).toMatchObject({ scheme: { kind: "coalesce", n: 1 } });
    expect(() => orders.repartition(0)).toThrow(/positive integer/);
  });

  it("cache is idempotent and unpersist keeps the plan usable", async () => {
    const cached = orders.cache();
    expect(cached.plan.kind).toBe("Cache");
    expect(cached.cache()).toBe(cached);
    expect(await cached.unpersist()).toBe(cached);
  });

  it("unionByName matches columns by name and can fill missing ones", () => {
    const a = s.createDataFrame([{ x: 1, y: "a" }]);
    const b = s.createDataFrame([{ y: "b", x: 2 }]);
    const c = s.createDataFrame([{ x: 3 }]);
    expect(a.unionByName(b).columns).toEqual(["x", "y"]);
    expect(() => a.unionByName(c)).toThrow(/input 2 has no column "y"/);
    expect(a.unionByName(c, { allowMissingColumns: true }).schema.fields[1]).toMatchObject({ name: "y", nullable: true });
    const z = s.createDataFrame([{ x: 4, z: true }]);
    expect(c.unionByName(z, { allowMissingColumns: true }).dtypes).toEqual([["x", "int32"], ["z", "bool"]]);
  });
});

describe("missing values", () => {
  const people = s.createDataFrame([{ name: "a", age: null, score: 1.5, city: null }], { name: "string", age: "int32", score: "float64", city: "string" });

  it("fill applies a value to columns of its type family", () => {
    const filled = people.na.fill(0);
    const p = filled.plan as Node<"Project">;
    expect(p.exprs.map(exprToString)).toEqual(["name", "coalesce(age, 0) AS age", "coalesce(score, 0) AS score", "city"]);
    expect(people.fillna({ city: "unknown" }).plan).toMatchObject({ kind: "Project" });
    expect(() => people.fillna({ age: "x" })).toThrow(/column "age" is int32/);
  });

  it("drop builds null checks (NaN counts as missing for floats)", () => {
    const f = people.na.drop({ subset: ["age", "score"] }).plan as Node<"Filter">;
    expect(exprToString(f.predicate)).toBe("((age IS NOT NULL) AND ((score IS NOT NULL) AND (NOT isnan(score))))");
    expect(exprToString((people.dropna({ how: "all", subset: ["age", "city"] }).plan as Node<"Filter">).predicate)).toBe("((age IS NOT NULL) OR (city IS NOT NULL))");
    expect(people.dropna({ thresh: 2 }).plan.kind).toBe("Filter");
  });

  it("replace maps values within matching columns", () => {
    const p = people.na.replace({ a: "A" }).plan as Node<"Project">;
    expect(exprToString(p.exprs[0]!)).toBe("CASE WHEN (name = 'a') THEN 'A' ELSE name END AS name");
    expect(exprToString(p.exprs[3]!)).toBe("CASE WHEN (city = 'a') THEN 'A' ELSE city END AS city");
  });
});

describe("display", () => {
  it("answers the display protocol with the lazy plan, without running", () => {
    const bundle = orders.filter(col("amount").gt(1))[JUPYTER_DISPLAY]();
    expect(bundle["text/plain"]).toContain("DataFrame[order_id: int64, user_id: int64, amount: float64");
    expect(bundle["text/plain"]).toContain("Filter (amount > 1)");
    expect(bundle["text/html"]).toContain("<details><summary>plan</summary>");
  });
});
