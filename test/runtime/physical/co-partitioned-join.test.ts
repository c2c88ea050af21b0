/**
 * End to end through the session: what a user sees from the planner. Co-partitioned inputs join
 * with no Exchange and no shuffle bytes; a reused exchange still gives the right answer.
 */
import { afterAll, describe, expect, it } from "vitest";
import { col, F, session } from "../../../runtime/index.js";

const s = session({ workers: 2, shufflePartitions: 4, autoBroadcastThreshold: -1 });
afterAll(() => s.stop());

const orders = s.createDataFrame(
  Array.from({ length: 300 }, (_, i) => ({ order_id: i, user_id: i % 11, amount: i })),
  { order_id: "int64", user_id: "int64", amount: "int64" },
);
const users = s.createDataFrame(Array.from({ length: 11 }, (_, i) => ({ user_id: i, country: i % 2 ? "NO" : "DE" })), { user_id: "int64", country: "string" });

describe("co-partitioned join", () => {
  it("repartition(n, key).cache() on both sides joins with no Exchange and writes no shuffle bytes", async () => {
    const a = orders.repartition(4, "user_id").cache();
    const b = users.repartition(4, "user_id").cache();
    expect(await a.count()).toBe(300);
    expect(await b.count()).toBe(11);
    const joined = a.join(b, { on: "user_id" });
    const plan = joined.explainString();
    expect(plan).toContain("ShuffledHashJoin");
    expect(plan).not.toContain("Exchange");
    const rows = await joined.collect();
    expect(rows).toHaveLength(300);
    // Users with an odd id live in NO: 27 full cycles of 11 ids hold 5 each, plus user 1 once more.
    expect(rows.filter((r) => r["country"] === "NO")).toHaveLength(136);
    const metrics = joined.lastRun();
    const shuffled = (metrics?.stages ?? []).flatMap((st) => st.shuffleWriteByPartition ?? []).reduce((sum, p) => sum + p.bytes, 0);
    expect(shuffled).toBe(0);
  });

  it("a join of unpartitioned data shuffles both sides and gives the same rows", async () => {
    const joined = orders.join(users, { on: "user_id" });
    expect(joined.explainString().match(/Exchange hashpartitioning\(user_id/g)).toHaveLength(2);
    expect(await joined.count()).toBe(300);
  });

  it("an aggregate joined with itself runs its shuffle once and answers correctly", async () => {
    const perUser = orders.groupBy("user_id").agg(F.count("*").alias("n"));
    const self = perUser.alias("x").join(perUser.alias("y"), col("x.user_id").eq(col("y.user_id")))
      .select(col("x.user_id").alias("user_id"), col("x.n").add(col("y.n")).alias("twice"));
    expect(self.explainString()).toContain("ReusedExchange");
    const rows = await self.collect();
    expect(rows).toHaveLength(11);
    expect(rows.reduce((sum, r) => sum + Number(r["twice"]), 0)).toBe(600);
  });
});
