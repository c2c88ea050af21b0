/** More end-to-end behaviour through the public API: joins of every type, unions, caching, UDFs, strings. */
import { afterAll, describe, expect, it } from "vitest";
import { col, F, lit, session, Window } from "../../../runtime/index.js";

const s = session({ workers: 2, shufflePartitions: 3 });
afterAll(() => s.stop());

const left = s.createDataFrame([{ k: 1, a: "x" }, { k: 2, a: "y" }, { k: null, a: "z" }], { k: "int64", a: "string" });
const right = s.createDataFrame([{ k: 2, b: 20 }, { k: 3, b: 30 }, { k: null, b: 0 }], { k: "int64", b: "int32" });
const sortRows = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe("joins", () => {
  it.each([
    ["inner", [{ k: 2, a: "y", b: 20 }]],
    ["left", [{ k: 1, a: "x", b: null }, { k: 2, a: "y", b: 20 }, { k: null, a: "z", b: null }]],
    ["right", [{ k: 2, a: "y", b: 20 }, { k: 3, a: null, b: 30 }, { k: null, a: null, b: 0 }]],
    ["full", [{ k: 1, a: "x", b: null }, { k: 2, a: "y", b: 20 }, { k: 3, a: null, b: 30 }, { k: null, a: "z", b: null }, { k: null, a: null, b: 0 }]],
    ["semi", [{ k: 2, a: "y" }]],
    ["anti", [{ k: 1, a: "x" }, { k: null, a: "z" }]],
  ] as const)("%s USING join (null keys never match)", async (how, expected) => {
    const rows = await left.join(right, { on: "k", how }).collect();
    expect(sortRows(rows)).toEqual(sortRows(expected as unknown as Record<string, unknown>[]));
  }, 30_000);

  it("joins on an expression with aliases and a residual condition", async () => {
    const rows = await left.alias("l").join(right.alias("r"), col("l.k").eq(col("r.k")).and(col("r.b").gt(10)), "left")
      .select(col("l.k").alias("lk"), col("r.k").alias("rk"), "b").orderBy("lk").collect();
    expect(rows).toEqual([{ lk: null, rk: null, b: null }, { lk: 1, rk: null, b: null }, { lk: 2, rk: 2, b: 20 }]);
  }, 30_000);

  it("keeps both columns of a duplicate name, keyed by qualifier", async () => {
    const rows = await left.alias("l").join(right.alias("r"), col("l.k").eq(col("r.k"))).collect();
    expect(rows).toEqual([{ "l.k": 2, a: "y", "r.k": 2, b: 20 }]);
  }, 30_000);

  it("joins keys named differently on each side with leftOn/rightOn", async () => {
    const r = right.withColumnRenamed("k", "key");
    const rows = await left.join(r, { leftOn: "k", rightOn: "key", how: "inner" }).collect();
    expect(rows).toEqual([{ k: 2, a: "y", key: 2, b: 20 }]);
    expect(() => left.join(r, { leftOn: ["k", "a"], rightOn: "key" })).toThrow(/same number of keys \(got 2 and 1\)/);
  }, 30_000);

  it("cross joins", async () => {
    expect(await left.crossJoin(right).count()).toBe(9);
  }, 30_000);
});

describe("other operations", () => {
  it("unions with type widening and unionByName", async () => {
    const ints = s.createDataFrame([{ v: 1 }]);
    const floats = s.createDataFrame([{ v: 2.5 }]);
    expect(sortRows(await ints.union(floats).collect())).toEqual(sortRows([{ v: 1 }, { v: 2.5 }]));
    const ab = s.createDataFrame([{ a: 1, b: "x" }]);
    const ba = s.createDataFrame([{ b: "y", a: 2 }]);
    expect(sortRows(await ab.unionByName(ba).collect())).toEqual(sortRows([{ a: 1, b: "x" }, { a: 2, b: "y" }]));
    const onlyA = s.createDataFrame([{ a: 3 }]);
    expect(sortRows(await onlyA.unionByName(ab, { allowMissingColumns: true }).collect())).toEqual(sortRows([{ a: 3, b: null }, { a: 1, b: "x" }]));
  }, 30_000);

  it("describes columns like Spark", async () => {
    const df = s.createDataFrame([{ n: 1, s: "b" }, { n: 3, s: "a" }, { n: null, s: "c" }], { n: "int32", s: "string" });
    const rows = await df.describe().collect();
    expect(rows.map((r) => [r["summary"], r["n"], r["s"]])).toEqual([
      ["count", "2", "3"], ["mean", "2.0", null], ["stddev", "1.4142135623730951", null], ["min", "1", "a"], ["max", "3", "c"],
    ]);
  }, 30_000);

  it("sorts by a column the previous select dropped, as Spark does", async () => {
    const df = s.createDataFrame([{ name: "b", age: 2 }, { name: "a", age: 9 }, { name: "c", age: 5 }]);
    const sorted = df.select("name").orderBy(col("age").desc());
    expect(sorted.columns).toEqual(["name"]);
    expect(await sorted.collect()).toEqual([{ name: "a" }, { name: "c" }, { name: "b" }]);
    expect(() => df.select("name").orderBy("agee")).toThrow(/Column "agee" not found/);
  }, 30_000);

  it("takes range frames as interval text over timestamps and dates", async () => {
    const ev = s.createDataFrame(
      [
        { t: "2024-01-01T00:00:00Z", v: 1 }, { t: "2024-01-01T12:00:00Z", v: 2 }, { t: "2024-01-02T06:00:00Z", v: 4 }, { t: "2024-01-04T00:00:00Z", v: 8 },
      ],
      { t: "timestamp", v: "int32" },
    );
    const last24h = Window.orderBy("t").rangeBetween("-24 hours", 0);
    const rows = await ev.select(F.sum("v").over(last24h).alias("s")).collect();
    expect(rows.map((r) => r["s"]).sort((a, b) => Number(a) - Number(b))).toEqual([1, 3, 6, 8]);
    const byDay = ev.withColumn("d", F.toDate("t")).select("d", F.sum("v").over(Window.orderBy("d").rangeBetween("-1 day", "0")).alias("s"));
    expect((await byDay.orderBy("d").collect()).map((r) => r["s"])).toEqual([3, 3, 7, 8]);
    expect(() => Window.orderBy("t").rangeBetween("-7 fortnights", 0)).toThrow(/cannot read the interval "-7 fortnights"/);
  }, 30_000);

  it("caches and reuses results", async () => {
    const cached = s.range(1000).withColumn("sq", col("id").mul(col("id"))).cache();
    expect(await cached.count()).toBe(1000);
    expect(await cached.filter(col("sq").lt(100)).count()).toBe(10);
    await cached.unpersist();
    expect(await cached.count()).toBe(1000);
  }, 30_000);

  it("runs UDFs in the workers", async () => {
    const shout = F.udf((x: string | null) => (x === null ? null : `${x.toUpperCase()}!`), "string");
    expect(await left.select(shout("a").alias("s")).orderBy("s").collect()).toEqual([{ s: "X!" }, { s: "Y!" }, { s: "Z!" }]);
  }, 30_000);

  it("evaluates string, date and math functions", async () => {
    const df = s.createDataFrame([{ name: "  Ada Lovelace ", ts: "2024-02-29T13:45:00Z", x: 2.345 }], { name: "string", ts: "timestamp", x: "float64" });
    const rows = await df.select(
      F.upper(F.trim("name")).alias("up"),
      F.split(F.trim("name"), " ").alias("parts"),
      F.year("ts").alias("y"),
      F.dayofweek("ts").alias("dow"),
      F.round("x", 2).alias("r"),
      F.datediff(F.toDate("ts"), lit("2024-02-01", "date")).alias("dd"),
    ).collect();
    expect(rows).toEqual([{ up: "ADA LOVELACE", parts: ["Ada", "Lovelace"], y: 2024, dow: 5, r: 2.35, dd: 28 }]);
  }, 30_000);

  it("drops rows with too few values and replaces values", async () => {
    const df = s.createDataFrame([{ a: 1, b: null, c: "N/A" }, { a: null, b: null, c: "ok" }], { a: "int32", b: "float64", c: "string" });
    expect(await df.dropna({ thresh: 2 }).count()).toBe(1);
    expect(await df.replace("N/A", "unknown").select("c").orderBy("c").collect()).toEqual([{ c: "ok" }, { c: "unknown" }]);
  }, 30_000);

  it("computes percent ranks and lead with a default", async () => {
    const w = Window.orderBy("id");
    const rows = await s.range(4).select("id", F.lead("id", 1, -1).over(w).alias("next"), F.percentRank().over(w).alias("pr")).orderBy("id").collect();
    expect(rows.map((r) => [r["next"], r["pr"]])).toEqual([[1, 0], [2, 1 / 3], [3, 2 / 3], [-1, 1]]);
  }, 30_000);

  it("repartitions and samples deterministically by seed", async () => {
    const df = s.range(200).repartition(4, "id");
    expect(await df.count()).toBe(200);
    const a = await s.range(200).sample(0.5, 7).collect();
    const b = await s.range(200).sample(0.5, 7).collect();
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(50);
    expect(a.length).toBeLessThan(150);
  }, 30_000);
});
