import { afterAll, describe, expect, it } from "vitest";
import { col, F, session, Window } from "../../../runtime/index.js";

const s = session({ workers: 2, shufflePartitions: 4 });
afterAll(() => s.stop());

const rows = Array.from({ length: 200 }, (_, i) => ({ id6: i % 9, v3: i % 13 === 0 ? null : ((i * 37) % 101) * 1.5 }));
const top2 = (df: ReturnType<typeof s.createDataFrame>) =>
  df.filter(col("v3").isNotNull())
    .withColumn("order_v3", F.rowNumber().over(Window.partitionBy("id6").orderBy(col("v3").desc())))
    .filter(col("order_v3").le(2))
    .select(col("id6"), col("v3").alias("largest2_v3"));

describe("planning WindowGroupLimit", () => {
  it("limits each map task before the shuffle and whole groups after it (q8's shape)", () => {
    const text = top2(s.createDataFrame(rows).repartition(3)).explainString("extended");
    expect(text).toContain("groupLimit=row_number order_v3 <= 2");
    const physical = text.slice(text.indexOf("== Physical Plan =="));
    const lines = physical.split("\n");
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
    const final = at("WindowGroupLimit [id6], [v3 DESC NULLS LAST], row_number, 2, Final");
    const partial = at("WindowGroupLimit [id6], [v3 DESC NULLS LAST], row_number, 2, Partial");
    const exchange = at("Exchange hashpartitioning(id6");
    // Printed top-down: Sort above Final above the Exchange above Partial.
    expect(at("Sort [id6")).toBeLessThan(final);
    expect(final).toBeLessThan(exchange);
    expect(exchange).toBeLessThan(partial);
    expect(partial).toBeGreaterThan(0);
  });

  it("needs no partial limit when the input is already distributed on the partition keys", () => {
    const text = top2(s.createDataFrame(rows).repartition(4, "id6")).explainString();
    expect(text).toContain("row_number, 2, Final");
    expect(text).not.toContain("Partial");
  });

  it("answers like the plan without the limit (a window with another function is not limited)", async () => {
    const df = s.createDataFrame(rows).repartition(3);
    const limited = await top2(df).collect();
    // sum over the same window needs whole partitions (and is selected, so not pruned away): no limit.
    const unlimited = await df.filter(col("v3").isNotNull())
      .withColumns({
        order_v3: F.rowNumber().over(Window.partitionBy("id6").orderBy(col("v3").desc())),
        total: F.sum("v3").over(Window.partitionBy("id6").orderBy(col("v3").desc())),
      })
      .filter(col("order_v3").le(2)).select(col("id6"), col("v3").alias("largest2_v3"), col("total"));
    expect(unlimited.explainString()).not.toContain("WindowGroupLimit");
    const key = (r: Record<string, unknown>) => `${String(r["id6"])}:${String(r["largest2_v3"])}`;
    expect(limited.map(key).sort()).toEqual((await unlimited.collect()).map(key).sort());
    expect(limited).toHaveLength(18);
  });
});
