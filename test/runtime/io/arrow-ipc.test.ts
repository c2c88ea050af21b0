/**
 * session.read.arrow(path): an Arrow IPC file read record batch by record batch into the engine's
 * shared memory, strings dictionary-encoded per partition in the workers. Checked against the rows
 * the file was written from, through actions a user runs (collect, groupBy, join, filter).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as arrow from "apache-arrow";
import { col, F, session } from "../../../runtime/index.js";
import { partitionsForFile } from "../../../runtime/api/session.js";

const s = session({ workers: 2 });
const dir = mkdtempSync(join(tmpdir(), "kindling-arrow-ipc-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await s.stop();
});

interface Row { id: number; grp: string | null; key: string; v: number | null; flag: boolean | null }

function rowsOf(n: number, offset = 0): Row[] {
  return Array.from({ length: n }, (_, j) => {
    const i = j + offset;
    return { id: i, grp: i % 13 === 0 ? null : `g${(i * 7) % 9}`, key: `key-${String(i).padStart(7, "0")}`, v: i % 17 === 0 ? null : i * 0.5, flag: i % 5 === 0 ? null : i % 2 === 0 };
  });
}

function recordBatch(rows: Row[]): arrow.RecordBatch {
  const t = new arrow.Table({
    id: arrow.vectorFromArray(Int32Array.from(rows.map((r) => r.id))),
    grp: arrow.vectorFromArray(rows.map((r) => r.grp), new arrow.Utf8()),
    key: arrow.vectorFromArray(rows.map((r) => r.key), new arrow.Utf8()),
    v: arrow.vectorFromArray(rows.map((r) => r.v), new arrow.Float64()),
    flag: arrow.vectorFromArray(rows.map((r) => r.flag), new arrow.Bool()),
  });
  // one schema for every batch (a batch without nulls would otherwise say "not nullable")
  const schema = new arrow.Schema(t.schema.fields.map((f) => new arrow.Field(f.name, f.type, f.name !== "id" && f.name !== "key")));
  return new arrow.RecordBatch(schema, t.batches[0]!.data);
}

/** A file of `sizes.length` record batches (the rows numbered across them), as Arrow writers make them. */
function writeFile(name: string, sizes: number[], format: "file" | "stream" = "file"): { path: string; rows: Row[] } {
  const rows: Row[] = [];
  const batches: arrow.RecordBatch[] = [];
  for (const n of sizes) {
    const part = rowsOf(n, rows.length);
    rows.push(...part);
    batches.push(recordBatch(part));
  }
  const table = batches.length > 0 ? new arrow.Table(batches) : new arrow.Table(recordBatch([]).schema);
  const path = join(dir, name);
  writeFileSync(path, arrow.tableToIPC(table, format));
  return { path, rows };
}

const sortById = (rows: Record<string, unknown>[]): Record<string, unknown>[] => [...rows].sort((a, b) => Number(a["id"]) - Number(b["id"]));

describe("session.read.arrow partitions", () => {
  it("cuts a file into one partition per 512 MiB, rounded up to a multiple of the workers", () => {
    const MiB = 1024 * 1024;
    expect(partitionsForFile(0, 2)).toBe(2);
    expect(partitionsForFile(620 * MiB, 2)).toBe(2); // db-benchmark group-by 1e7
    expect(partitionsForFile(5300 * MiB, 2)).toBe(12); // join x at 1e8: 11 splits, rounded to 12
    expect(partitionsForFile(5300 * MiB, 3)).toBe(12);
    expect(partitionsForFile(100 * MiB, 1)).toBe(1);
  });

  it("takes an explicit partition count and still reads every row", async () => {
    const { path, rows } = writeFile("parts.arrow", [1000, 2000, 500]);
    const df = await s.read.arrow(path, { partitions: 5 });
    expect(df.explainString("formatted")).toContain("UnknownPartitioning(5)");
    expect(sortById(await df.collect())).toEqual(rows);
    expect((await s.read.arrow(path)).explainString("formatted")).toContain("UnknownPartitioning(2)");
  });
});

describe("session.read.arrow", () => {
  it("reads every row of a many-batch file, nulls included, in file order", async () => {
    const { path, rows } = writeFile("many.arrow", [1000, 1, 2500, 0, 777, 4000]);
    const df = await s.read.arrow(path);
    expect(df.columns).toEqual(["id", "grp", "key", "v", "flag"]);
    expect(await df.count()).toBe(rows.length);
    expect(await df.collect()).toEqual(rows);
  });

  it("groups and joins on the string columns the workers dictionary-encoded per partition", async () => {
    const { path, rows } = writeFile("groups.arrow", [3000, 3000, 2000]);
    const df = await s.readArrow(path);
    const counts = new Map<string | null, number>();
    for (const r of rows) counts.set(r.grp, (counts.get(r.grp) ?? 0) + 1);
    const got = await df.groupBy("grp").agg(F.count().alias("n")).collect();
    expect(new Map(got.map((r) => [r["grp"] as string | null, Number(r["n"])]))).toEqual(counts);
    // a join on the low-cardinality strings across the two partitions' dictionaries
    const names = s.createDataFrame([...new Set(rows.map((r) => r.grp).filter((g) => g !== null))].map((g) => ({ grp: g, name: `name of ${g}` })));
    const joined = await df.join(names, { on: "grp" }).filter(col("id").lt(50)).select("id", "grp", "name").collect();
    expect(sortById(joined)).toEqual(rows.filter((r) => r.id < 50 && r.grp !== null).map((r) => ({ id: r.id, grp: r.grp, name: `name of ${r.grp}` })));
    // the near-unique column stays readable as text (not encoded, not mangled)
    expect(await df.filter(col("key").eq("key-0004321")).select("id").collect()).toEqual([{ id: 4321 }]);
  });

  it("reads the Arrow stream format and a file with a schema but no batches", async () => {
    const stream = writeFile("rows.arrows", [10, 20], "stream");
    expect(await (await s.read.arrow(stream.path)).collect()).toEqual(stream.rows);
    const empty = writeFile("empty.arrow", []);
    const df = await s.read.arrow(empty.path);
    expect(df.columns).toEqual(["id", "grp", "key", "v", "flag"]);
    expect(await df.count()).toBe(0);
  });

  it("names the file when it is missing or not Arrow", async () => {
    await expect(s.read.arrow(join(dir, "nope.arrow"))).rejects.toThrow(/session\.read\.arrow\(".*nope\.arrow"\): cannot open the file \(ENOENT\); check the path/);
    const bad = join(dir, "bad.arrow");
    writeFileSync(bad, "id,grp\n1,a\n");
    await expect(s.read.arrow(bad)).rejects.toThrow(/bad\.arrow"\): not a readable Arrow IPC file/);
  });
});

describe("createDataFrame(arrowTable) leaves the caller's table intact", () => {
  it("registration copies into shared memory: the table reads the same after actions", async () => {
    const rows = rowsOf(5000);
    const table = new arrow.Table([recordBatch(rows.slice(0, 2000)), recordBatch(rows.slice(2000))]);
    const df = s.createDataFrame(table);
    expect(await df.groupBy("grp").agg(F.count().alias("n")).count()).toBe(10);
    expect(await df.count()).toBe(5000);
    expect(table.numRows).toBe(5000);
    expect(table.getChild("key")!.get(4999)).toBe("key-0004999");
    expect(table.getChild("grp")!.get(1)).toBe(rows[1]!.grp);
    expect(table.batches.every((b) => b.data.children.every((c) => c.values.byteLength > 0 && !(c.values.buffer instanceof SharedArrayBuffer)))).toBe(true);
  });
});
