/**
 * Shuffle blocks past the engine's shuffle memory go to disk: the map task writes them into one
 * file, the reduce task reads them back. Same answer as in memory, files gone when read, a damaged
 * or missing file makes its map task run again.
 */
import { closeSync, existsSync, openSync, readdirSync, rmSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import { createEngine, type Engine, type EngineTuning } from "../../../runtime/scheduler/engine.js";
import type { ShuffleBlock, SpilledBlock } from "../../../runtime/worker/protocol.js";
import { fixtureExecutor } from "../worker-pool/helpers.js";
import { hashOn, join, project, scanOf, schema, shuffle } from "./plans.js";

const rows = Array.from({ length: 3000 }, (_, i) => ({ k: (i * 7919) % 211, s: i % 5 === 0 ? null : `row-${i % 37}` }));
const sortRows = (r: Record<string, unknown>[]): string[] => r.map((x) => JSON.stringify(x)).sort();
const tmpRoot = joinPath(tmpdir(), `kindling-spill-test-${process.pid}`);
const engines: Engine[] = [];

function engineWith(shuffleMemory: number, tuning: EngineTuning = {}): Engine {
  const e = createEngine({ workers: 2, spill: true, shuffleMemory }, { executorModule: fixtureExecutor, tmpRoot, minAvailableMemory: 0, ...tuning });
  engines.push(e);
  return e;
}
afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
});

const shuffleSpill = (stages: readonly { tasks: readonly { shuffleSpillBytes: number }[] }[]): number => stages.reduce((s, st) => s + st.tasks.reduce((m, t) => m + t.shuffleSpillBytes, 0), 0);

describe("shuffle blocks spilled to disk", () => {
  it("gives the same rows with no shuffle memory as in memory, every block read back from disk", async () => {
    const inMemory = engineWith(Infinity, { minAvailableMemory: 0 });
    const onDisk = engineWith(0);
    const plan = (e: Engine) => shuffle(scanOf(e.registerTable(rowsToBatches(rows, schema, 128), schema, { partitions: 3 })), hashOn(5));
    const a = await inMemory.run(plan(inMemory));
    const b = await onDisk.run(plan(onDisk));
    expect(sortRows(batchesToRows(b.batches))).toEqual(sortRows(batchesToRows(a.batches)));
    expect(sortRows(batchesToRows(b.batches))).toEqual(sortRows(rows));
    expect(shuffleSpill(a.metrics.stages)).toBe(0);
    const map = b.metrics.stages[0]!;
    // Every map task wrote every one of its non-empty blocks to disk.
    for (const t of map.tasks) expect(t.shuffleSpillBytes).toBeGreaterThan(0);
    expect(b.metrics.stages[1]!.tasks.reduce((s, t) => s + t.shuffleReadRecords, 0)).toBe(rows.length);
  });

  it("joins two spilled sides with the same answer as in memory", async () => {
    const inMemory = engineWith(Infinity);
    const onDisk = engineWith(0);
    const plan = (e: Engine) => {
      const l = e.registerTable(rowsToBatches(rows, schema, 100), schema, { partitions: 3 });
      const r = e.registerTable(rowsToBatches(rows.slice(0, 400), schema, 100), schema, { partitions: 2 });
      return project(join(shuffle(scanOf(l), hashOn(4)), shuffle(scanOf(r), hashOn(4)), "partitioned"));
    };
    const a = await inMemory.run(plan(inMemory));
    const b = await onDisk.run(plan(onDisk));
    expect(b.batches.reduce((s, x) => s + x.length, 0)).toBeGreaterThan(0);
    expect(sortRows(batchesToRows(b.batches))).toEqual(sortRows(batchesToRows(a.batches)));
    expect(shuffleSpill(b.metrics.stages)).toBeGreaterThan(0);
  });

  it("keeps the first blocks in memory up to the limit and spills the rest", async () => {
    const seen: ShuffleBlock[] = [];
    const e = engineWith(6000, { onShuffleBlocks: (_x, _m, blocks) => void seen.push(...blocks) });
    const t = e.registerTable(rowsToBatches(rows, schema, 128), schema, { partitions: 2 });
    const res = await e.run(shuffle(scanOf(t), hashOn(8)));
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
    const kept = seen.filter((b) => b.file === undefined && b.rows > 0);
    const spilled = seen.filter((b) => b.file !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    expect(spilled.length).toBeGreaterThan(0);
    expect(kept.reduce((s, b) => s + b.bytes, 0)).toBeLessThanOrEqual(6000);
    // In reduce-partition order: once a map task starts spilling, it spills every later block.
    for (let m = 0; m < 2; m++) {
      const mine = seen.filter((b) => b.mapPartition === m && b.rows > 0);
      const first = mine.findIndex((b) => b.file !== undefined);
      if (first >= 0) expect(mine.slice(first).every((b) => b.file !== undefined)).toBe(true);
    }
  });

  it("leaves no spill file behind once the job is over", async () => {
    const files = new Set<string>();
    const e = engineWith(0, { onShuffleBlocks: (_x, _m, blocks) => blocks.forEach((b) => b.file && files.add(b.file.path)) });
    const t = e.registerTable(rowsToBatches(rows, schema, 128), schema, { partitions: 2 });
    const res = await e.run(shuffle(scanOf(t), hashOn(3)));
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
    expect(files.size).toBe(2); // one file per map task, holding all its blocks
    expect([...files].filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(tmpRoot) ? readdirSync(tmpRoot).filter((d) => d.startsWith("job-")) : []).toEqual([]);
  });

  /** Bytes overwritten inside the block's range, after its checksum was taken. */
  const overwriteEnd = (file: SpilledBlock): void => {
    const fd = openSync(file.path, "r+");
    writeSync(fd, Buffer.from([0xde, 0xad, 0xbe, 0xef]), 0, 4, file.offset + file.length - 4);
    closeSync(fd);
  };
  const cases: [string, number, (file: SpilledBlock) => void][] = [
    ["was damaged", 1, overwriteEnd],
    ["disappeared", 0, (file) => unlinkSync(file.path)],
  ];
  for (const [what, victim, harm] of cases) {
    it(`runs the map task again when its spill file ${what}, and still gives every row`, async () => {
      let harmed = 0;
      const e = engineWith(0, {
        onShuffleBlocks: (_x, map, blocks) => {
          const spilled = blocks.find((b) => b.file !== undefined && b.file.length > 16)?.file;
          if (harmed === 0 && map === victim && spilled) {
            harm(spilled);
            harmed++;
          }
        },
      });
      const t = e.registerTable(rowsToBatches(rows, schema, 128), schema, { partitions: 2 });
      const res = await e.run(shuffle(scanOf(t), hashOn(4)));
      expect(harmed).toBe(1);
      expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
      expect(res.metrics.stages[0]!.tasks.filter((x) => x.partition === victim).map((x) => x.attempt)).toEqual([0, 1]);
    });
  }

  it("says where and why when the spill directory cannot be written", async () => {
    const blocked = joinPath(tmpdir(), `kindling-spill-blocked-${process.pid}`);
    writeFileSync(blocked, "a file where the engine wants a directory");
    const e = createEngine({ workers: 1, spill: true, shuffleMemory: 0 }, { executorModule: fixtureExecutor, tmpRoot: blocked, minAvailableMemory: 0 });
    engines.push(e);
    const t = e.registerTable(rowsToBatches(rows, schema, 128), schema, { partitions: 2 });
    onTestFinished(() => rmSync(blocked, { force: true }));
    await expect(e.run(shuffle(scanOf(t), hashOn(4)))).rejects.toThrow(/Could not write shuffle blocks to .*kindling-spill-blocked-.*shuffle-x\d+-m\d+-t\d+\.blocks: .*Free disk space there, or give the session more shuffle memory/);
  });
});
