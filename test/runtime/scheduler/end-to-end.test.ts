/**
 * The engine with the real operators (runtime/worker/execute.ts) under the DataFrame API:
 * aggregation through a shuffle, joins, sorts, caches. Skipped parts of the stack show up as
 * failures here first.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Session } from "../../../runtime/api/session.js";
import { F } from "../../../runtime/api/functions.js";

const { col, count, sum } = F;

const s = new Session({ workers: 2, shufflePartitions: 4 });
afterAll(async () => s.stop());

const rows = Array.from({ length: 1000 }, (_, i) => ({ user_id: i % 37, amount: i % 11, city: ["Oslo", "Lima", "Pune"][i % 3]! }));

describe("engine end to end (real operators)", () => {
  it("groups through a shuffle and matches a plain JS answer", async () => {
    const df = s.createDataFrame(rows);
    const out = await df.groupBy("user_id").agg(count().alias("n"), sum(col("amount")).alias("total")).collect();
    const expected = new Map<number, { n: number; total: number }>();
    for (const r of rows) {
      const e = expected.get(r.user_id) ?? { n: 0, total: 0 };
      e.n++;
      e.total += r.amount;
      expected.set(r.user_id, e);
    }
    expect(out).toHaveLength(37);
    for (const r of out) expect({ n: Number(r["n"]), total: Number(r["total"]) }).toEqual(expected.get(r["user_id"] as number));
  });

  it("sorts globally through a range shuffle", async () => {
    const df = s.createDataFrame(rows);
    const out = await df.orderBy(col("amount").desc(), col("user_id")).collect();
    expect(out).toHaveLength(1000);
    for (let i = 1; i < out.length; i++) {
      const a = out[i - 1]!;
      const b = out[i]!;
      expect((a["amount"] as number) > (b["amount"] as number) || (a["amount"] === b["amount"] && (a["user_id"] as number) <= (b["user_id"] as number))).toBe(true);
    }
  });

  it("joins two DataFrames", async () => {
    const users = s.createDataFrame(Array.from({ length: 37 }, (_, i) => ({ user_id: i, name: `u${i}` })));
    const out = await s.createDataFrame(rows).join(users, { on: "user_id", how: "inner" }).count();
    expect(out).toBe(1000);
  });
});

describe("adaptive skew split with the real join operator", () => {
  it("gives the same join answer when a hot key's partition is split into several tasks", async () => {
    const { optimize } = await import("../../../runtime/optimizer/index.js");
    const { createPhysicalPlan } = await import("../../../runtime/physical/planner.js");
    const { createEngine } = await import("../../../runtime/scheduler/engine.js");
    const local = new Session({ workers: 2, shufflePartitions: 4, autoBroadcastThreshold: -1 });
    const n = 20_000;
    const facts = local.range(0, n, 1, 4).withColumn("k", F.when(col("id").mod(10).eqNullSafe(0), col("id").mod(50)).otherwise(7));
    const dims = local.range(0, 50, 1, 2).withColumnRenamed("id", "k2");
    const joined = facts.join(dims, col("k").eq(col("k2")), "inner");
    const physical = createPhysicalPlan(optimize(joined.plan).plan, { shufflePartitions: 4, autoBroadcastThreshold: -1, defaultParallelism: 2, cachedSource: () => undefined });
    const engine = createEngine({ workers: 2, spill: true }, { advisoryPartitionBytes: 16 * 1024, skewFactor: 3, skewMinBytes: 0 });
    try {
      const res = await engine.run(physical);
      const adaptive = res.metrics.stages.flatMap((st) => st.adaptive ?? []).join(" ");
      expect(adaptive).toMatch(/split skewed partition \d+ .* into \d+ tasks/);
      expect(res.batches.reduce((s, b) => s + b.length, 0)).toBe(n); // every fact row has exactly one dim match
    } finally {
      await engine.stop();
      await local.stop();
    }
  });
});

describe("co-partitioned join through the API", () => {
  it("joins two cached DataFrames hash-partitioned alike without a shuffle (zero shuffle bytes)", async () => {
    const local = new Session({ workers: 2, shufflePartitions: 4, autoBroadcastThreshold: -1 });
    try {
      const left = local.createDataFrame(rows).repartition(4, "user_id").cache();
      const right = local.createDataFrame(Array.from({ length: 37 }, (_, i) => ({ user_id: i, name: `u${i}` }))).repartition(4, "user_id").cache();
      await left.count();
      await right.count();
      const ends: import("../../../runtime/metrics/events.js").JobMetrics[] = [];
      local.onEvent((e) => {
        if (e.type === "jobEnd") ends.push(e.metrics);
      });
      const joined = await left.join(right, { on: "user_id", how: "inner" }).collect();
      expect(joined).toHaveLength(1000);
      const job = ends.at(-1)!;
      const tasks = job.stages.flatMap((s) => s.tasks);
      // The join runs where the cached partitions are: one stage of 4 tasks, nothing shuffled.
      expect(job.stages.map((s) => s.numTasks)).toEqual([4]);
      expect(tasks.reduce((s, t) => s + t.shuffleReadBytes + t.shuffleWriteBytes, 0)).toBe(0);
    } finally {
      await local.stop();
    }
  });
});

describe("interrupt through the API", () => {
  it("session.cancelAll() stops a long job: the action rejects with Interrupted and no worker stays busy", async () => {
    const local = new Session({ workers: 2, shufflePartitions: 4 });
    try {
      const engine = (await local.engine()) as import("../../../runtime/scheduler/engine.js").Engine;
      await engine.pool.ready();
      const long = local.range(0, 200_000_000, 1, 8).withColumn("k", col("id").mod(1000)).groupBy("k").agg(sum(col("id")).alias("s")).collect();
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      local.cancelAll();
      await expect(long).rejects.toMatchObject({ name: "Interrupted" });
      expect(performance.now() - t0).toBeLessThan(500); // design bound 100 ms; slack for a loaded box
      expect(engine.pool.busyWorkers).toBe(0);
    } finally {
      await local.stop();
    }
  });
});
