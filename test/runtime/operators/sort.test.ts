import { describe, expect, it } from "vitest";
import { Types } from "../../../runtime/expr/types.js";
import type { SortOrder } from "../../../runtime/expr/ir.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { asc, desc, fakeContext, id, rowsOf, schemaOf, table, type Row } from "./helpers.js";

const schema = schemaOf({ s: Types.string, i: Types.int32, f: Types.float64, big: Types.int64, seq: Types.int32 });

function makeRows(n: number): Row[] {
  const words = ["b", "a", "ab", "", "é", "z", "B", null];
  const rows: Row[] = [];
  for (let k = 0; k < n; k++) {
    rows.push({
      s: words[(k * 7) % words.length]!,
      i: k % 5 === 0 ? null : (k * 13) % 7,
      f: k % 6 === 0 ? null : k % 11 === 0 ? NaN : ((k * 37) % 19) / 3,
      big: k % 4 === 0 ? null : BigInt((k * 31) % 9) * 2n ** 40n - 2n ** 42n,
      seq: k,
    });
  }
  return rows;
}

function cmpValue(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string") return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    return a - b;
  }
  return a === b ? 0 : (a as number | bigint) < (b as number | bigint) ? -1 : 1;
}

/** Stable reference sort on rows (SortOrder of plain column refs). */
function reference(rows: Row[], order: SortOrder[]): Row[] {
  return [...rows].sort((x, y) => {
    for (const o of order) {
      const name = (o.expr as { name: string }).name;
      const a = x[name], b = y[name];
      if (a === null || b === null) { if (a === b) continue; return (a === null) === o.nullsFirst ? -1 : 1; }
      const c = cmpValue(a, b) * (o.ascending ? 1 : -1);
      if (c !== 0) return c;
    }
    return 0;
  });
}

const orders: SortOrder[][] = [
  [asc("s")], [desc("s")], [asc("i", false), desc("f", true)], [desc("big"), asc("s")], [asc("f")], [desc("i"), desc("s", true)],
];

describe("SortExec", () => {
  it.each(orders.map((o) => [o.map((x) => `${(x.expr as { name: string }).name} ${x.ascending ? "asc" : "desc"} nulls ${x.nullsFirst ? "first" : "last"}`).join(", "), o] as const))(
    "sorts by %s stably (UTF-8 byte order, NaN largest)",
    async (_label, order) => {
      const rows = makeRows(150);
      const t = table("t", schema, [rows], 32);
      const node: PhysicalPlan = { kind: "SortExec", id: id(), input: t.node, order, schema, outputPartitioning: { kind: "unknown", n: 1 } };
      const got = await rowsOf(node, fakeContext({ tables: t.tables }));
      expect(got.map((r) => r.seq)).toEqual(reference(rows, order).map((r) => r.seq));
    },
  );

  it("TopKExec keeps the first k rows of the sorted order", async () => {
    const rows = makeRows(5000);
    const t = table("t", schema, [rows], 700);
    const order = [desc("f"), asc("seq")];
    const node: PhysicalPlan = { kind: "TopKExec", id: id(), input: t.node, order, k: 17, schema, outputPartitioning: { kind: "unknown", n: 1 } };
    const got = await rowsOf(node, fakeContext({ tables: t.tables }));
    expect(got.map((r) => r.seq)).toEqual(reference(rows, order).slice(0, 17).map((r) => r.seq));
  });

  it("sorting an empty partition yields nothing", async () => {
    const t = table("t", schema, [[]]);
    const node: PhysicalPlan = { kind: "SortExec", id: id(), input: t.node, order: [asc("s")], schema, outputPartitioning: { kind: "unknown", n: 1 } };
    expect(await rowsOf(node, fakeContext({ tables: t.tables }))).toEqual([]);
  });

  it.each(orders.slice(0, 4).map((o, i) => [i, o] as const))("over a tiny budget SortExec spills sorted runs and merges them into the same stable order (order #%i)", async (_i, order) => {
    const rows = makeRows(3000);
    const t = table("t", schema, [rows], 64);
    const node: PhysicalPlan = { kind: "SortExec", id: id(), input: t.node, order, schema, outputPartitioning: { kind: "unknown", n: 1 } };
    const ctx = fakeContext({ tables: t.tables, budget: 12_000, spill: true });
    const got = await rowsOf(node, ctx);
    expect(ctx.metricsById.get(node.id)!.spillBytes).toBeGreaterThan(0);
    expect(got.map((r) => r.seq)).toEqual(reference(rows, order).map((r) => r.seq));
  });

  it("over the budget with spilling off fails with ResourcesExhausted", async () => {
    const t = table("t", schema, [makeRows(500)], 100);
    const node: PhysicalPlan = { kind: "SortExec", id: id(), input: t.node, order: [asc("s")], schema, outputPartitioning: { kind: "unknown", n: 1 } };
    await expect(rowsOf(node, fakeContext({ tables: t.tables, budget: 4096 }))).rejects.toMatchObject({ name: "ResourcesExhausted" });
  });
});
