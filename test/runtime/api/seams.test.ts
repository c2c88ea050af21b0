/**
 * The plan shapes the API builds for each aggregate and window function must be the ones the
 * executor understands: each F function here runs for real and is checked against a plain answer.
 */
import { afterAll, describe, expect, it } from "vitest";
import { col, F, session, Window } from "../../../runtime/index.js";

const s = session({ workers: 2, shufflePartitions: 3 });
afterAll(() => s.stop());

const df = s.createDataFrame(
  [
    { g: "a", x: 1, y: "p", t: 1 },
    { g: "a", x: 2, y: "q", t: 2 },
    { g: "a", x: 2, y: null, t: 3 },
    { g: "b", x: 10, y: "p", t: 1 },
    { g: "b", x: null, y: "p", t: 2 },
  ],
  { g: "string", x: "int32", y: "string", t: "int32" },
);

describe("aggregates run as built", () => {
  it("computes every aggregate per group", async () => {
    const rows = await df
      .groupBy("g")
      .agg(
        F.count("*").alias("n"),
        F.count("x").alias("nx"),
        F.countDistinct("x").alias("dx"),
        F.countDistinct("x", "y").alias("dxy"),
        F.sum("x").alias("sum"),
        F.sumDistinct("x").alias("sumd"),
        F.avg("x").alias("avg"),
        F.min("y").alias("miny"),
        F.max("x").alias("maxx"),
        F.first("y", true).alias("firsty"),
        F.median("x").alias("med"),
        F.percentile("x", 1).alias("p100"),
        F.variance("x").alias("var"),
        F.collectSet("y").alias("ys"),
      )
      .orderBy("g")
      .collect();
    const a = rows[0]!;
    expect({ ...a, ys: [...(a["ys"] as string[])].sort() }).toEqual({
      g: "a", n: 3, nx: 3, dx: 2, dxy: 2, sum: 5, sumd: 3, avg: 5 / 3, miny: "p", maxx: 2, firsty: "p", med: 2, p100: 2, var: 1 / 3, ys: ["p", "q"],
    });
    expect(rows[1]).toMatchObject({ g: "b", n: 2, nx: 1, dx: 1, sum: 10, avg: 10, maxx: 10, med: 10, var: null });
  }, 30_000);
});

describe("window functions run as built", () => {
  it("computes running, sliding and whole-partition aggregates", async () => {
    const byT = Window.partitionBy("g").orderBy("t");
    const rows = await df
      .select(
        "g", "t",
        F.sum("x").over(byT).alias("running"),
        F.count("*").over(byT.rowsBetween(-1, 0)).alias("pair_n"),
        F.max("x").over(Window.partitionBy("g")).alias("group_max"),
        F.first("y").over(byT).alias("first_y"),
        F.rank().over(Window.partitionBy("g").orderBy(col("x").desc())).alias("rank_x"),
        F.ntile(2).over(byT).alias("half"),
      )
      .orderBy("g", "t")
      .collect();
    expect(rows.map((r) => [r["g"], r["t"], r["running"], r["pair_n"], r["group_max"], r["first_y"], r["half"]])).toEqual([
      ["a", 1, 1, 1, 2, "p", 1],
      ["a", 2, 3, 2, 2, "p", 1],
      ["a", 3, 5, 2, 2, "p", 2],
      ["b", 1, 10, 1, 10, "p", 1],
      ["b", 2, 10, 2, 10, "p", 2],
    ]);
    // x desc: nulls last; ties share a rank.
    expect(rows.filter((r) => r["g"] === "a").map((r) => r["rank_x"])).toEqual([3, 1, 1]);
  }, 30_000);
});
