import { describe, expect, it } from "vitest";
import type { Batch } from "../../../runtime/batch/column.js";
import type { Expr } from "../../../runtime/expr/ir.js";
import { Types } from "../../../runtime/expr/types.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { col, collect, fakeContext, id, lit, rowsOf, schemaOf, table, type Row } from "./helpers.js";

const schema = schemaOf({ a: Types.int32, s: Types.string });
const rowsA: Row[] = Array.from({ length: 20 }, (_, i) => ({ a: i % 4 === 0 ? null : i, s: `r${i}` }));
const gt = (name: string, v: number): Expr => ({ kind: "Binary", op: ">", left: col(name), right: lit(v, Types.int32) });
const unknown = { kind: "unknown" as const, n: 1 };

/** Counts how many batches a source hands out, to prove limits stop pulling. */
function countingContext(tables: Record<string, Batch[][]>, opts: Parameters<typeof fakeContext>[0] = {}) {
  const ctx = fakeContext({ tables, ...opts });
  let pulled = 0;
  const scan = ctx.scan.bind(ctx);
  return {
    ctx: { ...ctx, scan: async function* (s: Parameters<typeof scan>[0], p: number) { for await (const b of scan(s, p)) { pulled++; yield b; } } } as typeof ctx,
    pulled: () => pulled,
  };
}

describe("scan, filter, project, limits", () => {
  it("ScanExec applies pushed filters, projection and limit", async () => {
    const t = table("t", schema, [rowsA], 4);
    const node: PhysicalPlan = { ...(t.node as PhysicalPlan & { kind: "ScanExec" }), filters: [gt("a", 5)], projection: ["s"], limit: 3, schema: schemaOf({ s: Types.string }) };
    expect(await rowsOf(node, fakeContext({ tables: t.tables }))).toEqual([{ s: "r6" }, { s: "r7" }, { s: "r9" }]);
  });

  it("FilterExec drops false and null rows; ProjectExec computes expressions", async () => {
    const t = table("t", schema, [rowsA], 6);
    const filter: PhysicalPlan = { kind: "FilterExec", id: id(), input: t.node, predicate: gt("a", 15), schema, outputPartitioning: unknown };
    const project: PhysicalPlan = { kind: "ProjectExec", id: id(), input: filter, exprs: [{ kind: "Alias", name: "b", expr: { kind: "Binary", op: "*", left: col("a"), right: lit(2, Types.int32) } }, col("s")], schema: schemaOf({ b: Types.int32, s: Types.string }), outputPartitioning: unknown };
    expect(await rowsOf(project, fakeContext({ tables: t.tables }))).toEqual([{ b: 34, s: "r17" }, { b: 36, s: "r18" }, { b: 38, s: "r19" }]);
  });

  it("LocalLimitExec stops pulling its input once it has n rows", async () => {
    const t = table("t", schema, [rowsA], 2);
    const node: PhysicalPlan = { kind: "LocalLimitExec", id: id(), input: t.node, n: 5, schema, outputPartitioning: unknown };
    const { ctx, pulled } = countingContext(t.tables);
    const got = await rowsOf(node, ctx);
    expect(got.map((r) => r.s)).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    expect(pulled()).toBe(3);
  });

  it("GlobalLimitExec applies offset then n across batch boundaries", async () => {
    const t = table("t", schema, [rowsA], 3);
    const node: PhysicalPlan = { kind: "GlobalLimitExec", id: id(), input: t.node, n: 4, offset: 7, schema, outputPartitioning: { kind: "single" } };
    expect((await rowsOf(node, fakeContext({ tables: t.tables }))).map((r) => r.s)).toEqual(["r7", "r8", "r9", "r10"]);
  });
});

describe("union, coalesce, sample", () => {
  const a = table("ua", schema, [[{ a: 1, s: "a0" }], [{ a: 2, s: "a1" }]]);
  const b = table("ub", schema, [[{ a: 3, s: "b0" }], [{ a: 4, s: "b1" }], [{ a: 5, s: "b2" }]]);
  const tables = { ...a.tables, ...b.tables };

  it("UnionExec lays the inputs' partitions one after another", async () => {
    const node: PhysicalPlan = { kind: "UnionExec", id: id(), inputs: [a.node, b.node], schema, outputPartitioning: { kind: "unknown", n: 5 } };
    const seen: string[][] = [];
    for (let p = 0; p < 5; p++) seen.push((await rowsOf(node, fakeContext({ tables, partition: p, numPartitions: 5 }))).map((r) => r.s as string));
    expect(seen).toEqual([["a0"], ["a1"], ["b0"], ["b1"], ["b2"]]);
  });

  it("UnionExec with equally partitioned inputs reads partition p of each", async () => {
    const c = table("uc", schema, [[{ a: 6, s: "c0" }], [{ a: 7, s: "c1" }]]);
    const node: PhysicalPlan = { kind: "UnionExec", id: id(), inputs: [a.node, c.node], schema, outputPartitioning: { kind: "unknown", n: 2 } };
    const got = await rowsOf(node, fakeContext({ tables: { ...tables, ...c.tables }, partition: 1, numPartitions: 2 }));
    expect(got.map((r) => r.s)).toEqual(["a1", "c1"]);
  });

  it("CoalescePartitionsExec reads a contiguous range of input partitions", async () => {
    const node: PhysicalPlan = { kind: "CoalescePartitionsExec", id: id(), input: b.node, n: 2, schema, outputPartitioning: { kind: "unknown", n: 2 } };
    const p0 = await rowsOf(node, fakeContext({ tables, partition: 0, numPartitions: 2 }));
    const p1 = await rowsOf(node, fakeContext({ tables, partition: 1, numPartitions: 2 }));
    expect([p0.map((r) => r.s), p1.map((r) => r.s)]).toEqual([["b0"], ["b1", "b2"]]);
  });

  it("SampleExec is deterministic per seed and partition and keeps about the fraction", async () => {
    const many = table("many", schema, [Array.from({ length: 4000 }, (_, i) => ({ a: i, s: "x" }))], 1000);
    const sample = (seed: number, withReplacement = false): PhysicalPlan => ({ kind: "SampleExec", id: id(), input: many.node, fraction: 0.25, withReplacement, seed, schema, outputPartitioning: unknown });
    const run = async (node: PhysicalPlan) => (await collect(node, fakeContext({ tables: many.tables }))).flatMap((b) => Array.from((b.columns[0] as { values: Int32Array }).values));
    const first = await run(sample(42));
    expect(await run(sample(42))).toEqual(first);
    expect(await run(sample(43))).not.toEqual(first);
    expect(first.length).toBeGreaterThan(850);
    expect(first.length).toBeLessThan(1150);
    const withRepl = await run(sample(7, true));
    expect(withRepl.length).toBeGreaterThan(850);
    expect(withRepl.length).toBeLessThan(1150);
  });
});
