/**
 * Adaptive broadcast switch through the DataFrame API: the planner estimates the filtered side as
 * large (so it plans a shuffled join), the filter keeps a handful of rows at run time, and the
 * join stage reads that side whole instead. Rows must equal the answer without the switch.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Session } from "../../../runtime/api/session.js";
import { F } from "../../../runtime/api/functions.js";
import type { DataFrame } from "../../../runtime/api/dataframe.js";

const { col } = F;

// Small enough that the planner's estimates of both 4000-row inputs exceed it, large enough for the filtered side.
const THRESHOLD = 4096;
const adaptive = new Session({ workers: 2, shufflePartitions: 4, autoBroadcastThreshold: THRESHOLD });
const plain = new Session({ workers: 2, shufflePartitions: 4, autoBroadcastThreshold: -1 });
afterAll(async () => {
  await adaptive.stop();
  await plain.stop();
});

const facts = Array.from({ length: 4000 }, (_, i) => ({ k: i % 97, amount: i % 13 }));
const dims = Array.from({ length: 4000 }, (_, i) => ({ k2: i % 101, tag: `t${i}` }));

function query(s: Session, how: "inner" | "left" | "right" | "full"): DataFrame {
  const f = s.createDataFrame(facts);
  // Keeps 6 of 4000 rows; the optimizer cannot know that before running.
  const d = s.createDataFrame(dims).filter(col("tag").endsWith("7").and(col("k2").lt(3)));
  return f.join(d, col("k").eq(col("k2")), how);
}

function canonical(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify([r["k"], r["amount"], r["k2"], r["tag"]])).sort();
}

function adaptiveNotes(df: DataFrame): string[] {
  return (df.lastRun()?.stages ?? []).flatMap((s) => s.adaptive ?? []);
}

describe("adaptive switch of a shuffled join to broadcast", () => {
  for (const how of ["inner", "left", "right"] as const) {
    it(`${how} join: same rows as without the switch, and lastRun() shows the decision`, async () => {
      const df = query(adaptive, how);
      expect(df.explainString()).not.toMatch(/BroadcastExchange/);
      const got = await df.collect();
      const want = await query(plain, how).collect();
      expect(canonical(got)).toEqual(canonical(want));
      expect(got.length).toBeGreaterThan(0);
      const notes = adaptiveNotes(df);
      expect(notes.some((n) => /^switched join #\d+ to broadcast: right side \d+ bytes/.test(n))).toBe(how !== "right");
    });
  }

  it("a full outer join never switches (its unmatched build rows would repeat in every task)", async () => {
    const df = query(adaptive, "full");
    const got = await df.collect();
    expect(canonical(got)).toEqual(canonical(await query(plain, "full").collect()));
    expect(adaptiveNotes(df).some((n) => n.startsWith("switched join"))).toBe(false);
  });

  it("does not switch when the small side is over the threshold", async () => {
    const s = new Session({ workers: 2, shufflePartitions: 4, autoBroadcastThreshold: 64 });
    try {
      const df = query(s, "inner");
      expect(canonical(await df.collect())).toEqual(canonical(await query(plain, "inner").collect()));
      expect(adaptiveNotes(df).some((n) => n.startsWith("switched join"))).toBe(false);
    } finally {
      await s.stop();
    }
  });

  it("several join tasks each read the whole small side once: rows match a plain JS join (inner and left)", async () => {
    const { optimize } = await import("../../../runtime/optimizer/index.js");
    const { createPhysicalPlan } = await import("../../../runtime/physical/planner.js");
    const { createEngine } = await import("../../../runtime/scheduler/engine.js");
    // Tiny advisory size: no coalescing, so the join stage keeps 4 tasks.
    const engine = createEngine({ workers: 2, spill: true }, { advisoryPartitionBytes: 1 });
    try {
      // Range sources live in the plan, so this engine needs no registered tables.
      const bigRows = 4000;
      for (const how of ["inner", "left"] as const) {
        const big = plain.range(0, bigRows, 1, 4).withColumn("k", col("id").mod(97));
        const small = plain.range(0, 4000, 1, 2).filter(col("id").lt(6)).withColumn("k2", col("id").mod(3)).select("k2");
        const df = big.join(small, col("k").eq(col("k2")), how);
        const physical = createPhysicalPlan(optimize(df.plan).plan, { shufflePartitions: 4, autoBroadcastThreshold: -1, defaultParallelism: 2, cachedSource: () => undefined });
        const res = await engine.run(physical, { autoBroadcastThreshold: THRESHOLD });
        const joinStage = res.metrics.stages.find((st) => (st.adaptive ?? []).some((n) => n.startsWith("switched join")));
        expect(joinStage?.numTasks).toBe(4);
        let expected = 0;
        // k2 takes 0, 1, 2 twice each: keys below 3 match two rows, the rest none.
        for (let id = 0; id < bigRows; id++) expected += id % 97 < 3 ? 2 : how === "left" ? 1 : 0;
        expect(res.batches.reduce((sum, b) => sum + b.length, 0)).toBe(expected);
      }
    } finally {
      await engine.stop();
    }
  });
});
