/**
 * The hash join's unique-build-key path (db-benchmark's joins: every dimension key once): output
 * straight from the probe ids, probe columns reused or viewed, build columns gathered with -1 pads.
 */
import { describe, expect, it } from "vitest";
import type { Batch } from "../../../runtime/batch/column.js";
import { toShared } from "../../../runtime/batch/buffers.js";
import { dictionaryEncodeTable } from "../../../runtime/batch/dictionary.js";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import { Types } from "../../../runtime/expr/types.js";
import type { JoinType } from "../../../runtime/logical/plan.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { col, collect, fakeContext, id, schemaOf, type Row } from "./helpers.js";

const probeSchema = schemaOf({ k: Types.string, p: Types.int32, tag: Types.string, note: Types.string });
const buildSchema = schemaOf({ bk: Types.string, b: Types.float64, label: Types.string });

// 70k probe rows (more than one 65536-row output chunk), keys k0..k999 plus nulls; build keys k0..k799
// once each. note: a string per row (high cardinality, never dictionary-encoded) with some nulls.
const probeRows: Row[] = Array.from({ length: 70_000 }, (_, i) => ({ k: i % 97 === 0 ? null : `k${(i * 7) % 1000}`, p: i, tag: `t${i % 5}`, note: i % 13 === 0 ? null : `n${i}` }));
const buildRows: Row[] = Array.from({ length: 800 }, (_, i) => ({ bk: `k${i}`, b: i / 4, label: i % 3 === 0 ? null : `L${i % 10}` }));

function reference(how: JoinType, build: readonly Row[] = buildRows): Row[] {
  const byKey = new Map(build.map((r) => [r["bk"], r]));
  const nullBuild = { bk: null, b: null, label: null };
  const out: Row[] = [];
  for (const r of probeRows) {
    const m = r["k"] === null ? undefined : byKey.get(r["k"]);
    if (m) out.push({ ...r, ...m });
    else if (how === "left") out.push({ ...r, ...nullBuild });
  }
  return out;
}

/** Rows in probe order (p is the probe row number; the reference is in that order). */
const byProbeRow = (rows: Row[]): Row[] => [...rows].sort((a, b) => (a["p"] as number) - (b["p"] as number));

function scan(tableId: string, schema: typeof probeSchema): PhysicalPlan {
  return { kind: "ScanExec", id: id(), schema, outputPartitioning: { kind: "unknown", n: 1 }, source: { kind: "memory", id: tableId, partitions: 1, rows: 0, bytes: 0 }, filters: [] };
}

async function run(how: JoinType, probeBatches: Batch[], buildBatches: Batch[]): Promise<Batch[]> {
  const node: PhysicalPlan = {
    kind: "HashJoinExec", id: id(), mode: "partitioned", how, buildSide: "right",
    schema: { fields: [...probeSchema.fields, ...buildSchema.fields] }, outputPartitioning: { kind: "unknown", n: 1 },
    left: scan("P", probeSchema), right: scan("B", buildSchema), leftKeys: [col("k")], rightKeys: [col("bk")],
  };
  return collect(node, fakeContext({ tables: { P: [probeBatches], B: [buildBatches] } as never }));
}

const layouts: [string, () => Batch[]][] = [
  ["plain UTF-8 probe batches", () => rowsToBatches(probeRows, probeSchema, 30_000)],
  ["one large dictionary-encoded probe batch in shared memory", () => dictionaryEncodeTable(rowsToBatches(probeRows, probeSchema, probeRows.length)).map(toShared)],
  ["one large plain probe batch (not shared)", () => rowsToBatches(probeRows, probeSchema, probeRows.length)],
  ["one large plain UTF-8 probe batch in shared memory (strings output as views)", () => rowsToBatches(probeRows, probeSchema, probeRows.length).map(toShared)],
];

/** True when column i of some output batch is dictionary-encoded. */
const anyDict = (out: Batch[], i: number): boolean => out.some((b) => "encoding" in b.columns[i]! && b.columns[i].encoding === "dict");

describe("HashJoinExec with unique build keys", () => {
  for (const [name, probe] of layouts) {
    for (const how of ["inner", "left"] as const) {
      it(`${how} join over ${name}: every probe row once, nulls padded, dictionary build columns kept`, async () => {
        const build = dictionaryEncodeTable(rowsToBatches(buildRows, buildSchema, 300));
        const out = await run(how, probe(), build);
        expect(out.every((b) => b.length <= 65_536)).toBe(true);
        expect(anyDict(out, 6)).toBe(true);
        expect(byProbeRow(batchesToRows(out))).toEqual(reference(how));
      }, 60_000);
    }
  }

  it("inner join over shared plain strings: the probe's UTF-8 columns come out as views (dictionary codes), values unchanged", async () => {
    const build = rowsToBatches(buildRows, buildSchema, 300);
    const out = await run("inner", rowsToBatches(probeRows, probeSchema, probeRows.length).map(toShared), build);
    expect(anyDict(out, 3)).toBe(true);
    expect(byProbeRow(batchesToRows(out))).toEqual(reference("inner"));
  });

  it("inner join where few probe rows match (sparse selection): strings are gathered, values unchanged", async () => {
    const few = buildRows.filter((_, i) => i % 100 === 3); // 8 keys of 1000: under 1% of probe rows match
    const out = await run("inner", rowsToBatches(probeRows, probeSchema, probeRows.length).map(toShared), rowsToBatches(few, buildSchema));
    expect(out.length).toBeGreaterThan(0);
    expect(anyDict(out, 3)).toBe(false);
    expect(byProbeRow(batchesToRows(out))).toEqual(reference("inner", few));
  });

  it("an empty probe batch and a build side without matches give the right (empty or padded) output", async () => {
    const build = rowsToBatches([{ bk: "zz", b: 1, label: "x" }], buildSchema, 10);
    const probe = [...rowsToBatches([], probeSchema), ...rowsToBatches(probeRows.slice(0, 10), probeSchema, 10)];
    expect(await run("inner", probe, build)).toEqual([]);
    const left = batchesToRows(await run("left", probe, build));
    expect(left).toEqual(probeRows.slice(0, 10).map((r) => ({ ...r, bk: null, b: null, label: null })));
  });
});
