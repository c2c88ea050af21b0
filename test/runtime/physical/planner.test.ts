import { describe, expect, it } from "vitest";
import type { LogicalPlan, SourceRef } from "../../../runtime/logical/plan.js";
import { HASH_VERSION } from "../../../runtime/physical/hash-version.js";
import { createPhysicalPlan, plannerContext } from "../../../runtime/physical/planner.js";
import { walkPhysical } from "../../../runtime/physical/node-ids.js";
import {
  agg, aggregate, alias, asc, cache, col, distinct, join, limit, project, repartition, scan, sort, windowNode,
} from "../optimizer/builders.js";
import { kinds, ofKind } from "./helpers.js";

const ctx = plannerContext({ shufflePartitions: 8 });
const big = { rows: 10_000_000, bytes: 1_000_000_000 };
const orders = (opts = {}) => scan({ user_id: "int32", amount: "float64" }, { ...big, ...opts });
const users = (opts = {}) => scan({ user_id: "int32", country: "string" }, { ...big, ...opts });
const hashed = (key: string, n: number) => ({ partitioning: { kind: "hash" as const, keys: [key], n, hashVersion: HASH_VERSION }, partitions: n });
const joinOnUser = (l: LogicalPlan, r: LogicalPlan, how: "inner" | "left" | "right" | "full" = "inner") =>
  join(l, r, how, [[col("user_id"), col("user_id")]]);

describe("joins", () => {
  it("shuffles both inputs of a join of unpartitioned data on their keys", () => {
    const p = createPhysicalPlan(joinOnUser(orders(), users()), ctx);
    const exchanges = ofKind(p, "ShuffleExchangeExec");
    expect(exchanges).toHaveLength(2);
    expect(exchanges.map((e) => e.partitioning)).toEqual([
      { kind: "hash", keys: [col("user_id")], n: 8, hashVersion: HASH_VERSION },
      { kind: "hash", keys: [col("user_id")], n: 8, hashVersion: HASH_VERSION },
    ]);
    expect(ofKind(p, "HashJoinExec")[0]!.mode).toBe("partitioned");
  });

  it("shuffles big join inputs into more partitions than shufflePartitions: one per 256 MiB, a multiple of the parallelism", () => {
    const huge = { rows: 1e8, bytes: 5 * 2 ** 30 };
    const p = createPhysicalPlan(joinOnUser(orders(huge), users({ rows: 1e8, bytes: 2.6 * 2 ** 30 })), ctx);
    // 7.6 GiB / 256 MiB = 30.4 -> 31 -> 32 with defaultParallelism 2.
    expect(ofKind(p, "ShuffleExchangeExec").map((e) => e.partitioning)).toEqual([
      { kind: "hash", keys: [col("user_id")], n: 32, hashVersion: HASH_VERSION },
      { kind: "hash", keys: [col("user_id")], n: 32, hashVersion: HASH_VERSION },
    ]);
    // A side that is already partitioned still decides the count.
    const q = createPhysicalPlan(joinOnUser(orders({ ...huge, ...hashed("user_id", 5) }), users(huge)), ctx);
    expect(ofKind(q, "ShuffleExchangeExec").map((e) => e.partitioning)).toMatchObject([{ n: 5 }]);
  });

  it("joins co-partitioned sources (same key, same count) with no exchange at all", () => {
    const p = createPhysicalPlan(joinOnUser(orders(hashed("user_id", 8)), users(hashed("user_id", 8))), ctx);
    expect(ofKind(p, "ShuffleExchangeExec")).toHaveLength(0);
    expect(ofKind(p, "HashJoinExec")[0]!.mode).toBe("partitioned");
  });

  it("shuffles only the side that is not partitioned, to the other side's count", () => {
    const p = createPhysicalPlan(joinOnUser(orders(hashed("user_id", 5)), users()), ctx);
    const exchanges = ofKind(p, "ShuffleExchangeExec");
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.partitioning).toMatchObject({ kind: "hash", n: 5 });
    const j = ofKind(p, "HashJoinExec")[0]!;
    expect(j.left.kind).toBe("ScanExec");
    expect(j.right.kind).toBe("ShuffleExchangeExec");
  });

  it("does not treat different partition counts as co-partitioned", () => {
    const p = createPhysicalPlan(joinOnUser(orders(hashed("user_id", 8)), users(hashed("user_id", 4))), ctx);
    expect(ofKind(p, "ShuffleExchangeExec")).toHaveLength(1);
  });

  it("runs repartition(8, key).cache() on both sides, once cached, with no exchange", () => {
    const cached = (plan: LogicalPlan, id: string) => cache(repartition(plan, { kind: "hash", keys: [col("user_id")], n: 8 }), id);
    const stored = (id: string): SourceRef => ({ kind: "memory", id: `cache-${id}`, partitions: 8, rows: 1e7, bytes: 1e9, partitioning: { kind: "hash", keys: ["user_id"], n: 8, hashVersion: HASH_VERSION } });
    const q = joinOnUser(cached(orders(), "c1"), cached(users(), "c2"));
    const before = createPhysicalPlan(q, ctx);
    // First run: each side is shuffled once by its repartition and nothing else is added.
    expect(ofKind(before, "ShuffleExchangeExec")).toHaveLength(2);
    expect(ofKind(before, "CacheExec")).toHaveLength(2);
    const after = createPhysicalPlan(q, plannerContext({ cachedSource: stored }));
    expect(ofKind(after, "ShuffleExchangeExec")).toHaveLength(0);
    expect(ofKind(after, "ScanExec").map((s) => s.source.kind === "memory" && s.source.id)).toEqual(["cache-c1", "cache-c2"]);
  });

  it("keeps co-partitioning through a projection that renames the key", () => {
    const renamed = project(orders(hashed("user_id", 8)), alias(col("user_id"), "uid"), col("amount"));
    const q = join(renamed, users(hashed("user_id", 8)), "inner", [[col("uid"), col("user_id")]]);
    expect(ofKind(createPhysicalPlan(q, ctx), "ShuffleExchangeExec")).toHaveLength(0);
  });

  it("broadcasts a side estimated under the threshold, and respects which side a join type can build", () => {
    const small = users({ rows: 100, bytes: 10_000 });
    const inner = createPhysicalPlan(joinOnUser(orders(), small), ctx);
    expect(ofKind(inner, "ShuffleExchangeExec")).toHaveLength(0);
    expect(ofKind(inner, "HashJoinExec")[0]).toMatchObject({ mode: "broadcast", buildSide: "right" });
    expect(ofKind(inner, "BroadcastExchangeExec")).toHaveLength(1);
    // A left join must keep every left row, so a small left side cannot be the build side.
    const left = createPhysicalPlan(joinOnUser(small, orders(), "left"), ctx);
    expect(ofKind(left, "HashJoinExec")[0]!.mode).toBe("partitioned");
    const right = createPhysicalPlan(joinOnUser(small, orders(), "right"), ctx);
    expect(ofKind(right, "HashJoinExec")[0]).toMatchObject({ mode: "broadcast", buildSide: "left" });
    const full = createPhysicalPlan(joinOnUser(small, users({ rows: 10, bytes: 100 }), "full"), ctx);
    expect(ofKind(full, "HashJoinExec")[0]!.mode).toBe("partitioned");
  });

  it("broadcasts on a hint even above the threshold, and never when the threshold is negative", () => {
    const hinted = join(orders(), users(), "inner", [[col("user_id"), col("user_id")]], { hint: "broadcast" });
    expect(ofKind(createPhysicalPlan(hinted, ctx), "HashJoinExec")[0]!.mode).toBe("broadcast");
    const off = plannerContext({ autoBroadcastThreshold: -1 });
    expect(ofKind(createPhysicalPlan(joinOnUser(orders(), users({ bytes: 10 })), off), "HashJoinExec")[0]!.mode).toBe("partitioned");
  });

  it("plans a cross join as a broadcast nested loop join", () => {
    const p = createPhysicalPlan(join(orders(), users(), "cross", []), ctx);
    expect(kinds(p)).toEqual(["NestedLoopJoinExec", "ScanExec", "BroadcastExchangeExec", "ScanExec"]);
  });

  it("plans a USING join as a join of left ++ right with the shared key output once", () => {
    const q: LogicalPlan = {
      ...joinOnUser(orders(), users(), "full"),
      usingColumns: ["user_id"],
      schema: { fields: [{ name: "user_id", type: { kind: "int32" }, nullable: true }, orders().schema.fields[1]!, users().schema.fields[1]!] },
    } as LogicalPlan;
    const p = createPhysicalPlan(q, ctx);
    expect(p.kind).toBe("ProjectExec");
    if (p.kind !== "ProjectExec") return;
    expect(p.schema.fields.map((f) => f.name)).toEqual(["user_id", "amount", "country"]);
    expect(p.exprs[0]).toEqual(alias({ kind: "Call", fn: "coalesce", args: [col("user_id"), col("user_id#right")] }, "user_id"));
    const j = ofKind(p, "HashJoinExec")[0]!;
    expect(j.schema.fields.map((f) => f.name)).toEqual(["user_id", "amount", "user_id#right", "country"]);
    expect(j.rightKeys).toEqual([col("user_id#right")]);
  });
});

describe("aggregates", () => {
  const sumByUser = (input: LogicalPlan) => aggregate(input, [col("user_id")], [alias(agg("sum", col("amount")), "total")]);

  it("aggregates in two phases around one hash exchange on the keys", () => {
    const p = createPhysicalPlan(sumByUser(orders()), ctx);
    expect(kinds(p)).toEqual(["HashAggregateExec", "ShuffleExchangeExec", "HashAggregateExec", "ScanExec"]);
    const [final, partial] = ofKind(p, "HashAggregateExec");
    expect(final!.mode).toBe("final");
    expect(partial!.mode).toBe("partial");
    expect(ofKind(p, "ShuffleExchangeExec")[0]!.partitioning).toMatchObject({ kind: "hash", keys: [col("user_id")], n: 8 });
  });

  it("needs no exchange for a group-by after repartition on the same key", () => {
    const p = createPhysicalPlan(sumByUser(repartition(orders(), { kind: "hash", keys: [col("user_id")], n: 8 })), ctx);
    expect(ofKind(p, "ShuffleExchangeExec")).toHaveLength(1);
    expect(ofKind(p, "HashAggregateExec").map((a) => a.mode)).toEqual(["complete"]);
  });

  it("groups on a superset of the partitioning keys without an exchange", () => {
    const q = aggregate(orders(hashed("user_id", 8)), [col("user_id"), col("amount")], [alias(agg("count"), "n")]);
    expect(ofKind(createPhysicalPlan(q, ctx), "ShuffleExchangeExec")).toHaveLength(0);
  });

  it("merges a global aggregate in one partition", () => {
    const p = createPhysicalPlan(aggregate(orders(), [], [alias(agg("count"), "n")]), ctx);
    expect(ofKind(p, "ShuffleExchangeExec")[0]!.partitioning).toEqual({ kind: "single" });
    expect(p.outputPartitioning).toEqual({ kind: "single" });
  });

  it("shuffles raw rows for aggregates that cannot be merged from partial states", () => {
    const q = aggregate(orders(), [col("user_id")], [alias({ kind: "Agg", fn: "count_distinct", args: [col("amount")], distinct: false }, "d")]);
    expect(kinds(createPhysicalPlan(q, ctx))).toEqual(["HashAggregateExec", "ShuffleExchangeExec", "ScanExec"]);
  });

  it("computes expressions over several aggregates from the final results", () => {
    const spread = alias({ kind: "Binary", op: "-", left: agg("max", col("amount")), right: agg("min", col("amount")) }, "spread");
    const p = createPhysicalPlan(aggregate(orders(), [col("user_id")], [spread]), ctx);
    const final = ofKind(p, "HashAggregateExec")[0]!;
    expect(final.aggs.map((a) => a.fn)).toEqual(["max", "min"]);
    expect(final.resultExprs).toEqual([col("user_id"), alias({ kind: "Binary", op: "-", left: col("_agg0"), right: col("_agg1") }, "spread")]);
  });

  it("plans dropDuplicates(subset) as an aggregate keeping first() of the other columns, in the input's column order", () => {
    const t = scan({ a: "int32", k: "int32", b: "string" });
    const p = createPhysicalPlan(distinct(t, ["k"]), ctx);
    expect(p.schema.fields.map((f) => f.name)).toEqual(["a", "k", "b"]);
    const final = ofKind(p, "HashAggregateExec")[0]!;
    expect(final.keys).toEqual([col("k")]);
    expect(final.aggs.map((a) => [a.fn, a.name])).toEqual([["first", "a"], ["first", "b"]]);
  });
});

describe("sort, limit, window, repartition", () => {
  it("sorts by range exchange then per-partition sort", () => {
    expect(kinds(createPhysicalPlan(sort(orders(), asc(col("amount"))), ctx))).toEqual(["SortExec", "ShuffleExchangeExec", "ScanExec"]);
  });

  it("plans orderBy().limit(k) as top-k per partition, one partition, final top-k", () => {
    const p = createPhysicalPlan(limit(sort(orders(), asc(col("amount"))), 10), ctx);
    expect(kinds(p)).toEqual(["TopKExec", "ShuffleExchangeExec", "TopKExec", "ScanExec"]);
    expect(ofKind(p, "TopKExec").map((t) => t.k)).toEqual([10, 10]);
  });

  it("plans limit as local limit, one partition, global limit", () => {
    expect(kinds(createPhysicalPlan(limit(orders(), 5, 2), ctx))).toEqual(["GlobalLimitExec", "ShuffleExchangeExec", "LocalLimitExec", "ScanExec"]);
    const local = ofKind(createPhysicalPlan(limit(orders(), 5, 2), ctx), "LocalLimitExec")[0]!;
    expect(local.n).toBe(7);
  });

  it("plans a window as exchange on partitionBy, sort, window; a second window over the same keys reuses the exchange", () => {
    const over = (fn: "row_number" | "rank", orderCol: string) => alias({
      kind: "Window", fn: { kind: "Ranking", fn, args: [] }, spec: { partitionBy: [col("user_id")], orderBy: [asc(col(orderCol))] },
    }, `${fn}_${orderCol}`);
    const q = windowNode(orders(), over("row_number", "amount"), over("rank", "user_id"));
    const p = createPhysicalPlan(q, ctx);
    expect(kinds(p)).toEqual(["WindowExec", "SortExec", "WindowExec", "SortExec", "ShuffleExchangeExec", "ScanExec"]);
    expect(p.schema.fields.map((f) => f.name)).toEqual(["user_id", "amount", "row_number_amount", "rank_user_id"]);
  });

  it("does not re-shuffle data already hash-partitioned exactly as a repartition asks", () => {
    const q = repartition(orders(hashed("user_id", 8)), { kind: "hash", keys: [col("user_id")], n: 8 });
    expect(kinds(createPhysicalPlan(q, ctx))).toEqual(["ScanExec"]);
  });

  it("gives every node a unique id", () => {
    const p = createPhysicalPlan(limit(sort(joinOnUser(orders(), users()), asc(col("amount"))), 3), ctx);
    const ids = [...walkPhysical(p)].map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("non-equi joins", () => {
  it("runs a full outer join without keys in one partition so unmatched rows on both sides are seen once", () => {
    const cond = { kind: "Binary" as const, op: ">" as const, left: col("amount"), right: col("country") };
    const p = createPhysicalPlan(join(orders(), users(), "full", [], { condition: cond }), ctx);
    expect(kinds(p)).toEqual(["NestedLoopJoinExec", "ShuffleExchangeExec", "ScanExec", "ShuffleExchangeExec", "ScanExec"]);
    expect(ofKind(p, "ShuffleExchangeExec").map((e) => e.partitioning)).toEqual([{ kind: "single" }, { kind: "single" }]);
  });
});

describe("USING joins with clashing column names", () => {
  it("reads each side's own column when both inputs have a non-key column of the same name", () => {
    const l = scan({ user_id: "int32", amount: "float64" });
    const r = scan({ user_id: "int32", amount: "float64" });
    const f = (name: string) => ({ name, type: { kind: "float64" as const }, nullable: true });
    const q: LogicalPlan = {
      ...join(l, r, "inner", [[col("user_id"), col("user_id")]]),
      usingColumns: ["user_id"],
      schema: { fields: [{ name: "user_id", type: { kind: "int32" }, nullable: true }, f("amount"), f("amount")] },
    } as LogicalPlan;
    const p = createPhysicalPlan(q, plannerContext({ autoBroadcastThreshold: -1 }));
    if (p.kind !== "ProjectExec") throw new Error("shape");
    expect(p.exprs).toEqual([col("user_id"), col("amount"), alias(col("amount#right"), "amount")]);
  });
});

describe("projection folding", () => {
  it("folds a user projection into the renaming projection of a USING join", () => {
    const using: LogicalPlan = {
      ...joinOnUser(orders(), users(), "full"),
      usingColumns: ["user_id"],
      schema: { fields: [{ name: "user_id", type: { kind: "int32" }, nullable: true }, orders().schema.fields[1]!, users().schema.fields[1]!] },
    } as LogicalPlan;
    const p = createPhysicalPlan(project(using, col("user_id"), col("country")), ctx);
    expect(kinds(p).slice(0, 2)).toEqual(["ProjectExec", "HashJoinExec"]);
    if (p.kind !== "ProjectExec") return;
    expect(p.exprs).toEqual([alias({ kind: "Call", fn: "coalesce", args: [col("user_id"), col("user_id#right")] }, "user_id"), col("country")]);
  });
});

describe("partitioning carried across operators", () => {
  it("aggregates on the join key right after a partitioned join with no further exchange", () => {
    const q = aggregate(joinOnUser(orders(), users()), [col("user_id")], [alias(agg("sum", col("amount")), "total")]);
    const p = createPhysicalPlan(q, ctx);
    expect(ofKind(p, "ShuffleExchangeExec")).toHaveLength(2);
    expect(ofKind(p, "HashAggregateExec").map((a) => a.mode)).toEqual(["complete"]);
  });

  it("joins an aggregate on its grouping key by shuffling only the other side", () => {
    const perUser = aggregate(orders(), [col("user_id")], [alias(agg("sum", col("amount")), "total")]);
    const p = createPhysicalPlan(joinOnUser(perUser, users()), ctx);
    // One exchange for the aggregate, one for the users side; none added above the aggregate.
    expect(ofKind(p, "ShuffleExchangeExec")).toHaveLength(2);
    const j = ofKind(p, "HashJoinExec")[0]!;
    expect(j.left.kind).toBe("HashAggregateExec");
    expect(j.right.kind).toBe("ShuffleExchangeExec");
  });
});

describe("broadcast hint", () => {
  it("broadcasts the smaller input of an inner join whichever side carried the hint", () => {
    const small = users({ rows: 1e5, bytes: 5e7 });
    const hinted = join(small, orders(), "inner", [[col("user_id"), col("user_id")]], { hint: "broadcast" });
    expect(ofKind(createPhysicalPlan(hinted, ctx), "HashJoinExec")[0]).toMatchObject({ mode: "broadcast", buildSide: "left" });
    // A left join can only build its right side, hint or not.
    const left = join(small, orders(), "left", [[col("user_id"), col("user_id")]], { hint: "broadcast" });
    expect(ofKind(createPhysicalPlan(left, ctx), "HashJoinExec")[0]).toMatchObject({ mode: "broadcast", buildSide: "right" });
  });
});
