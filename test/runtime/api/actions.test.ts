/** Actions run for real: analyzed plan -> optimizer -> physical planner -> engine -> rows. */
import { afterAll, describe, expect, it, vi } from "vitest";
import { col, F, lit, session, when, Window } from "../../../runtime/index.js";

const s = session({ workers: 2, shufflePartitions: 4 });
afterAll(() => s.stop());

const orders = s.createDataFrame(
  [
    { order_id: 1, user_id: 1, amount: 10.0, status: "paid", day: "2024-01-01" },
    { order_id: 2, user_id: 1, amount: 5.0, status: "paid", day: "2024-01-03" },
    { order_id: 3, user_id: 2, amount: null, status: "void", day: "2024-01-02" },
    { order_id: 4, user_id: 3, amount: 7.5, status: "paid", day: "2024-01-09" },
    { order_id: 4, user_id: 3, amount: 7.5, status: "paid", day: "2024-01-09" },
    { order_id: 5, user_id: 1, amount: 1.0, status: "paid", day: "2024-01-10" },
  ],
  { order_id: "int64", user_id: "int64", amount: "float64", status: "string", day: "date" },
);
const users = s.createDataFrame([{ user_id: 1, name: "ann" }, { user_id: 2, name: "bob" }], { user_id: "int64", name: "string" });

const byOrder = <T extends Record<string, unknown>>(rows: T[]) => [...rows].sort((a, b) => Number(a["order_id"]) - Number(b["order_id"]));

describe("actions", () => {
  it("collect, count, first and take return plain rows", async () => {
    expect(await orders.count()).toBe(6);
    const paid = await orders.filter(col("status").eq("paid").and(col("amount").gt(4))).select("order_id", "amount").orderBy("order_id").collect();
    expect(paid).toEqual([{ order_id: 1, amount: 10 }, { order_id: 2, amount: 5 }, { order_id: 4, amount: 7.5 }, { order_id: 4, amount: 7.5 }]);
    expect(await orders.orderBy(col("order_id").desc()).first()).toMatchObject({ order_id: 5 });
    expect(await orders.take(2)).toHaveLength(2);
  }, 30_000);

  it("dedupes, fills nulls and aggregates per group", async () => {
    const rows = await orders
      .dropDuplicates(["order_id"])
      .na.fill(0)
      .groupBy("user_id")
      .agg(F.sum("amount").alias("spend"), F.count("*").alias("n"), F.max("day").alias("last_day"))
      .orderBy("user_id")
      .collect();
    expect(rows).toEqual([
      { user_id: 1, spend: 16, n: 3, last_day: new Date("2024-01-10T00:00:00Z") },
      { user_id: 2, spend: 0, n: 1, last_day: new Date("2024-01-02T00:00:00Z") },
      { user_id: 3, spend: 7.5, n: 1, last_day: new Date("2024-01-09T00:00:00Z") },
    ]);
  }, 30_000);

  it("joins with USING semantics and keeps unmatched left rows", async () => {
    const rows = await orders.dropDuplicates(["order_id"]).join(users, { on: "user_id", how: "left" }).select("order_id", "name").collect();
    expect(byOrder(rows)).toEqual([
      { order_id: 1, name: "ann" }, { order_id: 2, name: "ann" }, { order_id: 3, name: "bob" }, { order_id: 4, name: null }, { order_id: 5, name: "ann" },
    ]);
  }, 30_000);

  it("computes a 7-day rolling sum over a date range frame and a rank", async () => {
    const w = Window.partitionBy("user_id").orderBy("day");
    const rows = await orders
      .filter(col("user_id").eq(1))
      .select("order_id", F.sum("amount").over(w.rangeBetween(-6, 0)).alias("spend_7d"), F.rowNumber().over(w).alias("rn"))
      .orderBy("order_id")
      .collect();
    // Jan 1: 10; Jan 3: 10 + 5; Jan 10: only Jan 10 (Jan 3 is 7 days back, outside -6..0).
    expect(rows).toEqual([{ order_id: 1, spend_7d: 10, rn: 1 }, { order_id: 2, spend_7d: 15, rn: 2 }, { order_id: 5, spend_7d: 1, rn: 3 }]);
  }, 30_000);

  it("pivots into one-hot counts", async () => {
    const rows = await orders.groupBy("user_id").pivot("status", ["paid", "void"]).agg(F.count("*")).orderBy("user_id").collect();
    expect(rows).toEqual([{ user_id: 1, paid: 3, void: 0 }, { user_id: 2, paid: 0, void: 1 }, { user_id: 3, paid: 2, void: 0 }]);
  }, 30_000);

  it("evaluates CASE, ratios and casts", async () => {
    const rows = await orders
      .filter(col("order_id").le(3))
      .select("order_id", when(col("amount").ge(10), "big").otherwise("small").alias("size"), col("amount").div(lit(0)).alias("div0"))
      .orderBy("order_id")
      .collect();
    expect(rows).toEqual([{ order_id: 1, size: "big", div0: null }, { order_id: 2, size: "small", div0: null }, { order_id: 3, size: "small", div0: null }]);
  }, 30_000);

  it("show() prints Spark's table and lastRun() reports the job", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const df = users.orderBy("user_id");
    try {
      await df.show();
      expect(log.mock.calls[0]![0]).toBe(["+-------+----+", "|user_id|name|", "+-------+----+", "|      1| ann|", "|      2| bob|", "+-------+----+"].join("\n"));
    } finally {
      log.mockRestore();
    }
    expect(df.lastRun()?.stages.length).toBeGreaterThan(0);
    const preview = await orders.preview(2);
    expect(preview.moreRows).toBe(true);
    expect(preview.rows).toHaveLength(2);
  }, 30_000);

  it("show() in a notebook publishes an HTML table through the kernel's display hook instead of printing", async () => {
    const published: Record<string, unknown>[] = [];
    const key = Symbol.for("kindling.display");
    const globals = globalThis as Record<symbol, unknown>;
    globals[key] = (bundle: { data: Record<string, unknown> }) => published.push(bundle.data);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await users.orderBy("user_id").show();
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
      delete globals[key];
    }
    expect(published).toHaveLength(1);
    expect(published[0]!["text/html"]).toContain("<td>ann</td>");
    expect(published[0]!["text/plain"]).toContain("|      1| ann|");
  }, 30_000);

  it("accepts SQL text in filter, selectExpr and F.expr", async () => {
    const rows = await orders
      .filter("status = 'paid' AND amount BETWEEN 5 AND 10")
      .selectExpr("order_id", "amount * 2 AS double", "CASE WHEN amount >= 10 THEN 'big' ELSE 'small' END AS size")
      .withColumn("half", F.expr("double / 4"))
      .orderBy("order_id")
      .collect();
    expect(rows).toEqual([
      { order_id: 1, double: 20, size: "big", half: 5 }, { order_id: 2, double: 10, size: "small", half: 2.5 },
      { order_id: 4, double: 15, size: "small", half: 3.75 }, { order_id: 4, double: 15, size: "small", half: 3.75 },
    ]);
    expect(() => orders.filter("stauts = 'paid'")).toThrow(/did you mean "status"/);
    expect(await orders.selectExpr("count(*) AS n", "count(DISTINCT user_id) AS users").collect()).toEqual([{ n: 6, users: 3 }]);
  }, 30_000);

  it("toArrow returns a table with the DataFrame's schema", async () => {
    const table = await users.orderBy("user_id").toArrow();
    expect(table.numRows).toBe(2);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["user_id", "name"]);
  }, 30_000);

  it("unions and range work end to end", async () => {
    expect(await s.range(100).filter(col("id").mod(10).eq(0)).count()).toBe(10);
    expect(await users.union(users).count()).toBe(4);
  }, 30_000);
});
