/**
 * A union whose inputs come out of shuffles with different partition counts: the union's output
 * partition p is some partition of one input, and the task must be shipped that shuffle partition.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Session } from "../../../runtime/api/session.js";
import { F } from "../../../runtime/api/functions.js";
import { exchangePartitions } from "../../../runtime/scheduler/exchange-partitions.js";

const s = new Session({ workers: 2, shufflePartitions: 3 });
afterAll(async () => s.stop());

describe("union over shuffled inputs", () => {
  it("unions two global aggregates (one partition each)", async () => {
    const df = s.range(100);
    const out = await df.agg(F.min("id").alias("x")).union(df.agg(F.max("id").alias("x"))).collect();
    expect(out.map((r) => Number(r["x"])).sort((a, b) => a - b)).toEqual([0, 99]);
  });

  it("unions two grouped aggregates and keeps every group", async () => {
    const df = s.range(100);
    const by3 = df.groupBy(F.col("id").mod(3).alias("g")).count();
    const by5 = df.groupBy(F.col("id").mod(5).alias("g")).count();
    const out = await by3.union(by5).collect();
    expect(out).toHaveLength(8);
    expect(out.reduce((n, r) => n + Number(r["count"]), 0)).toBe(200);
  });

  it("maps a union partition to the shuffle partition of the input it comes from", () => {
    // A union of two single-partition exchanges (ids 1, 2) has two partitions, one per input.
    const exchange = (id: number) => ({ id, kind: "ShuffleExchangeExec", schema: { fields: [] }, outputPartitioning: { kind: "single" }, partitioning: { kind: "single" }, input: { id: id + 10, kind: "ScanExec", schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 1 }, source: { kind: "range", start: 0n, end: 1n, step: 1n, partitions: 1 }, filters: [] } }) as const;
    const union = { id: 0, kind: "UnionExec", schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 2 }, inputs: [exchange(1), exchange(2)] } as const;
    expect(exchangePartitions(union, 0, 2)).toEqual(new Map([[1, new Set([0])]]));
    expect(exchangePartitions(union, 1, 2)).toEqual(new Map([[2, new Set([0])]]));
  });
});
