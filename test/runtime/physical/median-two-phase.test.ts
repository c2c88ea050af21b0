/**
 * median/percentile are planned in two phases (partial list states -> exchange -> final) and give
 * the same answers as a plain sort, also when a tiny memory budget makes the partial side emit
 * many small state batches that the shuffle has to concatenate (their list type must be declared).
 */
import { afterAll, describe, expect, it } from "vitest";
import { F, session } from "../../../runtime/index.js";
import { Types } from "../../../runtime/expr/types.js";

const tiny = session({ workers: 2, shufflePartitions: 3, memoryBudget: 2048 });
const roomy = session({ workers: 2, shufflePartitions: 3 });
afterAll(async () => { await tiny.stop(); await roomy.stop(); });

const schema = { fields: [{ name: "x", type: Types.float64, nullable: true }, { name: "k", type: Types.int32, nullable: true }] };
const rows = Array.from({ length: 400 }, (_, i) => ({ x: i % 9 === 0 ? null : ((i * 37) % 101) / 4, k: i % 13 === 12 ? null : i % 6 }));

function expected(p: number): Map<number | null, number | null> {
  const byKey = new Map<number | null, number[]>();
  for (const r of rows) { const xs = byKey.get(r.k) ?? []; if (r.x !== null) xs.push(r.x); byKey.set(r.k, xs); }
  return new Map([...byKey].map(([k, xs]) => {
    const s = [...xs].sort((a, b) => a - b);
    const pos = p * (s.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
    return [k, s.length ? s[lo]! + (s[hi]! - s[lo]!) * (pos - lo) : null];
  }));
}

describe("median and percentile in two phases", () => {
  it("plans a partial aggregate before the exchange", () => {
    const df = roomy.createDataFrame(rows, schema).repartition(3).groupBy("k").agg(F.median("x").alias("m"));
    const text = df.explainString();
    // Spark's format: the map side's functions are prefixed partial_, the exchange sits between.
    expect(text).toMatch(/HashAggregate\(keys=\[k\], functions=\[median\(x\)\]\)\n\+- Exchange hashpartitioning\(k, \d+\)\n\s+\+- \*\(\d+\) HashAggregate\(keys=\[k\], functions=\[partial_median\(x\)\]\)/);
  });

  it.each([["unlimited memory", roomy], ["a 2 KiB budget", tiny]] as const)("answers like a sort with %s", async (_label, s) => {
    const df = s.createDataFrame(rows, schema).repartition(4).groupBy("k").agg(F.median("x").alias("m"), F.percentile("x", 0.9).alias("p90"), F.stddev("x").alias("sd"));
    const got = await df.collect();
    const med = expected(0.5), p90 = expected(0.9);
    expect(got.length).toBe(med.size);
    for (const r of got as { k: number | null; m: number | null; p90: number | null }[]) {
      expect(r.m).toBeCloseTo(med.get(r.k)!, 9);
      expect(r.p90).toBeCloseTo(p90.get(r.k)!, 9);
    }
  });
});
