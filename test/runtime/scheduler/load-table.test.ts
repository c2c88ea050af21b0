/**
 * engine.loadTable: batches copied into shared memory one by one (the caller's arrays untouched),
 * split into partitions, and the string columns worth it dictionary-encoded per partition by the
 * workers. What a scan of the stored table returns is what every query reads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Batch, Column } from "../../../runtime/batch/column.js";
import type { DictColumn } from "../../../runtime/batch/kinds.js";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import type { Schema } from "../../../runtime/expr/types.js";
import { Types } from "../../../runtime/expr/types.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import type { SourceRef } from "../../../runtime/logical/plan.js";
import { createEngine, type Engine } from "../../../runtime/scheduler/engine.js";

const schema: Schema = {
  fields: [
    { name: "low", type: Types.string, nullable: true },
    { name: "high", type: Types.string, nullable: false },
    { name: "n", type: Types.int32, nullable: true },
  ],
};
const rowsOf = (count: number, from = 0): Record<string, unknown>[] =>
  Array.from({ length: count }, (_, j) => {
    const i = from + j;
    return { low: i % 7 === 0 ? null : `grp-${(i * 31) % 23}`, high: `id${String((i * 2654435761) % 1e9).padStart(10, "0")}`, n: i % 11 === 0 ? null : i };
  });

const scan = (source: SourceRef & { kind: "memory" }): PhysicalPlan => ({ kind: "ScanExec", id: 1, schema, outputPartitioning: { kind: "unknown", n: source.partitions }, source, filters: [] });
const encodingOf = (c: Column): string => ("encoding" in c ? c.encoding : c.type.kind);
async function* slowly(batches: readonly Batch[]): AsyncGenerator<Batch> {
  for (const b of batches) {
    await new Promise((r) => setTimeout(r, 1));
    yield b;
  }
}

let engine: Engine;
beforeAll(async () => {
  engine = createEngine({ workers: 2, spill: true });
  await engine.pool.ready();
});
afterAll(async () => engine.stop());

describe("engine.loadTable", () => {
  it("stores every row, encodes the low-cardinality column per partition in shared memory, leaves the near-unique one UTF-8", async () => {
    const rows = rowsOf(40_000);
    const input = rowsToBatches(rows, schema, 3_000);
    const before = input.map((b) => batchesToRows([b]));
    const ref = await engine.loadTable(slowly(input), schema, { partitions: 3 });
    expect(ref.rows).toBe(40_000);
    expect(ref.partitions).toBe(3);
    const res = await engine.run(scan(ref));
    expect(batchesToRows(res.batches)).toEqual(rows);
    expect(res.batches.every((b) => encodingOf(b.columns[0]!) === "dict")).toBe(true);
    expect(res.batches.every((b) => encodingOf(b.columns[1]!) === "utf8")).toBe(true);
    for (const b of res.batches) {
      const low = b.columns[0] as DictColumn;
      expect(low.codes.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect((low.dictionary as unknown as { bytes: Uint8Array }).bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(low.dictionary.length).toBeLessThanOrEqual(23); // one partition's distinct values, not a row per entry
    }
    // the caller's batches are neither moved (detached) nor changed
    expect(input.map((b) => batchesToRows([b]))).toEqual(before);
  });

  it("takes a plain array, empty batches, all-null strings and an empty input", async () => {
    const nulls = rowsToBatches(Array.from({ length: 30 }, (_, i) => ({ low: null, high: `h${i}`, n: i })), schema, 7);
    const mixed = [...rowsToBatches([], schema), ...nulls, ...rowsToBatches(rowsOf(50, 30), schema, 50)];
    const ref = await engine.loadTable(mixed, schema, { partitions: 2 });
    const res = await engine.run(scan(ref));
    expect(batchesToRows(res.batches)).toEqual(batchesToRows(mixed));
    const empty = await engine.loadTable([], schema, { partitions: 2 });
    expect(empty.rows).toBe(0);
    expect((await engine.run(scan(empty))).batches.reduce((s, b) => s + b.length, 0)).toBe(0);
  });

  it("hash-partitions on a key when asked, then encodes each partition", async () => {
    const rows = rowsOf(5_000);
    const ref = await engine.loadTable(rowsToBatches(rows, schema, 1_000), schema, { partitions: 4, partitioning: { kind: "hash", keys: ["low"], n: 4, hashVersion: 1 } });
    expect(ref.partitioning?.kind).toBe("hash");
    const res = await engine.run(scan(ref));
    const sortRows = (r: Record<string, unknown>[]): string[] => r.map((x) => JSON.stringify(x)).sort();
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
  });
});
