import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import type { EngineEvent } from "../../../runtime/metrics/events.js";
import { createEngine, type Engine } from "../../../runtime/scheduler/engine.js";
import { hashColumns, partitionOf } from "../../../runtime/shuffle/hash.js";
import { columnFromValues } from "../../../runtime/batch/rows.js";
import { fixtureExecutor } from "../worker-pool/helpers.js";
import { broadcast, cache, fault, hashOn, join, project, scanOf, schema, shuffle } from "./plans.js";

const rows = Array.from({ length: 300 }, (_, i) => ({ k: (i * 7919) % 101, s: i % 5 === 0 ? null : `row-${i}` }));
const sortRows = (r: Record<string, unknown>[]): string[] => r.map((x) => JSON.stringify(x)).sort();
const keyPartition = (k: number, n: number): number => partitionOf(hashColumns([columnFromValues([k], { kind: "int32" })], 1)[0]!, n);
const tmpRoot = joinPath(tmpdir(), `kindling-test-${process.pid}`);

let engine: Engine;
beforeAll(async () => {
  engine = createEngine({ workers: 2, spill: true }, { executorModule: fixtureExecutor, tmpRoot });
  await engine.pool.ready();
});
afterAll(async () => engine.stop());

describe("engine: stages and shuffles", () => {
  it("shuffles 3 partitions into 8 by hash: every row arrives once, in its key's partition", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema, 64), schema, { partitions: 3 });
    const res = await engine.run(shuffle(scanOf(t), hashOn(8)));
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
    expect(res.metrics.stages).toHaveLength(2);
    const [map, reduce] = res.metrics.stages;
    expect(map!.numTasks).toBe(3);
    expect(reduce!.numTasks).toBe(8);
    expect(map!.shuffleWriteByPartition!.reduce((s, p) => s + p.records, 0)).toBe(300);
    expect(reduce!.tasks.reduce((s, t) => s + t.shuffleReadRecords, 0)).toBe(300);
    // Reduce task r holds exactly the keys that hash to r.
    for (const task of reduce!.tasks) expect(task.rowsOut).toBe(map!.shuffleWriteByPartition![task.partition]!.records);
    const perPartition = res.batches.map((b) => batchesToRows([b]).map((r) => keyPartition(r["k"] as number, 8)));
    for (const ps of perPartition) expect(new Set(ps).size).toBe(1);
  });

  it("joins co-partitioned tables without a shuffle: one stage, zero shuffle bytes", async () => {
    const left = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 4, partitioning: { kind: "hash", keys: ["k"], n: 4, hashVersion: 1 } });
    const right = engine.registerTable(rowsToBatches(rows.slice(0, 50), schema), schema, { partitions: 4, partitioning: { kind: "hash", keys: ["k"], n: 4, hashVersion: 1 } });
    const res = await engine.run(join(scanOf(left, hashOn(4)), scanOf(right, hashOn(4)), "partitioned"));
    expect(res.metrics.stages).toHaveLength(1);
    const tasks = res.metrics.stages[0]!.tasks;
    expect(tasks.reduce((s, t) => s + t.shuffleReadBytes + t.shuffleWriteBytes, 0)).toBe(0);
    // Each task saw only keys of its own partition, from both sides.
    res.batches.forEach((b) => {
      const parts = new Set(batchesToRows([b]).map((r) => keyPartition(r["k"] as number, 4)));
      expect(parts.size).toBeLessThanOrEqual(1);
    });
    expect(res.batches.reduce((s, b) => s + b.length, 0)).toBe(350);
  });

  it("ships a broadcast side whole to every task of the consuming stage", async () => {
    const big = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 3 });
    const small = engine.registerTable(rowsToBatches(rows.slice(0, 10), schema), schema, { partitions: 2 });
    const res = await engine.run(join(scanOf(big), broadcast(scanOf(small)), "broadcast"));
    expect(res.metrics.stages).toHaveLength(2);
    expect(res.batches.reduce((s, b) => s + b.length, 0)).toBe(300 + 3 * 10);
  });

  it("range-partitions by sampled bounds so partitions come out in key order", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 3 });
    const order = [{ expr: { kind: "Column", name: "k" } as const, ascending: true, nullsFirst: true }];
    const res = await engine.run(shuffle(scanOf(t), { kind: "range", order, n: 4 }));
    const keys = batchesToRows(res.batches).map((r) => r["k"] as number);
    expect(keys.length).toBe(300);
    // Split the output (in partition order) by each reduce task's row count.
    const counts = [...res.metrics.stages[1]!.tasks].sort((a, b) => a.partition - b.partition).map((t) => t.rowsOut);
    expect(counts).toHaveLength(4);
    const parts: number[][] = [];
    let at = 0;
    for (const c of counts) {
      parts.push(keys.slice(at, at + c));
      at += c;
    }
    const nonEmpty = parts.filter((p) => p.length > 0);
    expect(nonEmpty.length).toBeGreaterThanOrEqual(3);
    for (let p = 1; p < nonEmpty.length; p++) expect(Math.max(...nonEmpty[p - 1]!)).toBeLessThan(Math.min(...nonEmpty[p]!));
  });

  it("coalesces small shuffle partitions between stages and says so in the metrics", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
    const res = await engine.run(project(shuffle(scanOf(t), hashOn(8))));
    const reduce = res.metrics.stages[1]!;
    expect(reduce.numTasks).toBe(1);
    expect(reduce.adaptive?.[0]).toMatch(/coalesced 8 shuffle partitions into 1/);
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
  });

  it("splits a skewed join partition into several tasks by map output, each joined with the whole other side", async () => {
    const skewy = createEngine({ workers: 2, spill: true }, { executorModule: fixtureExecutor, tmpRoot, advisoryPartitionBytes: 2048, skewFactor: 3, skewMinBytes: 0 });
    try {
      const big = Array.from({ length: 2000 }, (_, i) => ({ k: i % 10 === 0 ? i % 50 : 7, s: `big-${i}` }));
      const small = Array.from({ length: 50 }, (_, i) => ({ k: i, s: `small-${i}` }));
      const l = skewy.registerTable(rowsToBatches(big, schema), schema, { partitions: 4 });
      const r = skewy.registerTable(rowsToBatches(small, schema), schema, { partitions: 2 });
      const res = await skewy.run(join(shuffle(scanOf(l), hashOn(4)), shuffle(scanOf(r), hashOn(4)), "partitioned"));
      const joinStage = res.metrics.stages.at(-1)!;
      const hot = keyPartition(7, 4);
      expect(joinStage.adaptive?.join(" ")).toMatch(new RegExp(`split skewed partition ${hot} .* into (\\d+) tasks`));
      const tasksForHot = Number(/into (\d+) tasks/.exec(joinStage.adaptive!.join(" "))![1]);
      expect(tasksForHot).toBeGreaterThan(1);
      expect(joinStage.numTasks).toBeGreaterThan(4 - 1);
      const out = batchesToRows(res.batches);
      // The split (left) side: every row exactly once. The other side: rows of the hot partition once per split task.
      expect(sortRows(out.filter((x) => String(x["s"]).startsWith("big-")))).toEqual(sortRows(big));
      for (const row of small) {
        const times = out.filter((x) => x["s"] === row.s).length;
        expect(times).toBe(keyPartition(row.k, 4) === hot ? tasksForHot : 1);
      }
    } finally {
      await skewy.stop();
    }
  });

  it("materializes a cache once, reads it afterwards without recomputing, and drops it", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
    const plan = cache(shuffle(scanOf(t), hashOn(3)), "c1");
    const first = await engine.run(project(plan));
    expect(first.metrics.stages.length).toBe(3);
    const source = engine.cachedSource("c1");
    expect(source).toMatchObject({ kind: "memory", partitions: 3, rows: 300, partitioning: { kind: "hash", keys: ["k"], n: 3 } });
    const second = await engine.run(project(plan));
    expect(second.metrics.stages.length).toBe(1);
    expect(sortRows(batchesToRows(second.batches))).toEqual(sortRows(rows));
    await engine.dropCache("c1");
    expect(engine.cachedSource("c1")).toBeUndefined();
  });

  it("runs several jobs at once on one pool, each with its own correct answer", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 3 });
    const plans = [shuffle(scanOf(t), hashOn(2)), project(shuffle(scanOf(t), hashOn(5))), scanOf(t), join(scanOf(t), broadcast(scanOf(t)), "broadcast")];
    const results = await Promise.all(plans.map((p) => engine.run(p)));
    expect(results.map((r) => r.batches.reduce((s, b) => s + b.length, 0))).toEqual([300, 300, 300, 300 + 3 * 300]);
    expect(new Set(results.map((r) => r.metrics.jobId)).size).toBe(4);
    for (const r of results.slice(0, 3)) expect(sortRows(batchesToRows(r.batches))).toEqual(sortRows(rows));
  });

  it("emits jobStart, stageStart, taskEnd, stageEnd, jobEnd in order", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
    const events: EngineEvent[] = [];
    await engine.run(shuffle(scanOf(t), hashOn(2)), { onEvent: (e) => events.push(e), description: "show at cell 3" });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("jobStart");
    expect(types.at(-1)).toBe("jobEnd");
    expect(types.filter((t) => t === "taskEnd")).toHaveLength(4);
    for (const stageId of [0, 1]) {
      const idx = (type: string): number[] => events.flatMap((e, i) => (e.type === type && ("stageId" in e ? e.stageId : e.type === "taskEnd" ? e.metrics.stageId : e.type === "stageEnd" ? e.metrics.stageId : -1) === stageId ? [i] : []));
      expect(Math.max(...idx("stageStart"))).toBeLessThan(Math.min(...idx("taskEnd")));
      expect(Math.max(...idx("taskEnd"))).toBeLessThan(Math.min(...idx("stageEnd")));
    }
    expect(events[0]).toMatchObject({ type: "jobStart", description: "show at cell 3" });
  });
});

describe("engine: faults", () => {
  it("retries a task whose worker crashed, and the job succeeds", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
    const res = await engine.run(fault(scanOf(t), "crash"));
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
    const attempts = res.metrics.stages[0]!.tasks.filter((x) => x.partition === 1).map((x) => x.attempt);
    expect(attempts).toEqual([0, 1]);
    expect(engine.pool.liveWorkers).toBe(2);
  });

  it("does not retry a user error and names stage, partition and a sample row", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
    const events: EngineEvent[] = [];
    const run = engine.run(fault(scanOf(t), "user-error"), { onEvent: (e) => events.push(e), description: "collect at cell 5" });
    await expect(run).rejects.toThrow(/Job \d+ \(collect at cell 5\) failed in stage 0, partition 1 \(attempt 1\): UserError: udf score\(\) threw: bad value\n\s+at row \{id: 42\}/);
    await expect(run).rejects.toMatchObject({ name: "UserError" });
    const attempts = events.flatMap((e) => (e.type === "taskEnd" && e.metrics.partition === 1 ? [e.metrics.attempt] : []));
    expect(attempts).toEqual([0]);
    expect(events.at(-1)).toMatchObject({ type: "jobEnd", error: expect.stringMatching(/UserError/) });
  });

  it("reruns the map task of a corrupted shuffle block and still gives every row", async () => {
    let damaged = false;
    const faulty = createEngine({ workers: 2, spill: true }, {
      executorModule: fixtureExecutor,
      tmpRoot,
      onShuffleBlocks: (_x, map, blocks) => {
        const values = (blocks[0]?.batches[0]?.columns[0] as { values?: Int32Array } | undefined)?.values;
        if (!damaged && map === 1 && values && values.length > 0) {
          values[0] = values[0]! + 1; // flip a value after the checksum was taken
          damaged = true;
        }
      },
    });
    try {
      const t = faulty.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
      const res = await faulty.run(shuffle(scanOf(t), hashOn(4)));
      expect(damaged).toBe(true);
      expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
      const mapAttempts = res.metrics.stages[0]!.tasks.filter((x) => x.partition === 1).map((x) => x.attempt);
      expect(mapAttempts).toEqual([0, 1]);
    } finally {
      await faulty.stop();
    }
  });

  it("reruns a map task whose output was lost before the reduce stage read it", async () => {
    let lost = 0;
    const lossy = createEngine({ workers: 2, spill: true }, { executorModule: fixtureExecutor, tmpRoot, onShuffleBlocks: (_x, map) => (map === 0 && lost++ === 0 ? "lose" : undefined) });
    try {
      const t = lossy.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
      const res = await lossy.run(shuffle(scanOf(t), hashOn(4)));
      expect(lost).toBe(2);
      expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
      expect(res.metrics.stages[0]!.shuffleWriteByPartition!.reduce((s, p) => s + p.records, 0)).toBe(300);
    } finally {
      await lossy.stop();
    }
  });

  it("fails with ResourcesExhausted naming stage, partition and limit when spilling is off", async () => {
    const tight = createEngine({ workers: 1, spill: false, memoryBudget: 64 * 1024 * 1024 }, { executorModule: fixtureExecutor, tmpRoot });
    try {
      const t = tight.registerTable(rowsToBatches(rows, schema), schema, { partitions: 1 });
      await expect(tight.run(fault(scanOf(t), "budget"))).rejects.toThrow(/ResourcesExhausted: stage 0, partition 0: HashAggregateExec needs 1\.0 GiB but the memory budget per worker is 64 MiB/);
    } finally {
      await tight.stop();
    }
  });

  it("reports a worker that hits its heap limit as ResourcesExhausted, and the engine lives on", async () => {
    const small = createEngine({ workers: 1, spill: true }, { executorModule: fixtureExecutor, tmpRoot, heapLimitMb: 48 });
    try {
      const t = small.registerTable(rowsToBatches(rows, schema), schema, { partitions: 1 });
      await expect(small.run(fault(scanOf(t), "oom"))).rejects.toThrow(/ResourcesExhausted: stage 0, partition 0 \(attempt 1\) ran out of memory \(limit: 48 MB heap per worker\)/);
      const ok = await small.run(scanOf(t));
      expect(ok.batches.reduce((s, b) => s + b.length, 0)).toBe(300);
    } finally {
      await small.stop();
    }
  });

  it("cancels a running job within 100 ms and leaves no busy worker or temp directory", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
    const abort = new AbortController();
    const run = engine.run(fault(scanOf(t), "spin"), { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    abort.abort();
    await expect(run).rejects.toMatchObject({ name: "Interrupted" });
    // Design bound: 25 ms grace + terminate, well under 100 ms. Both workers spin at 100% CPU
    // here, so on a loaded 2-core box the driver's timers run late: allow scheduling noise.
    expect(performance.now() - t0).toBeLessThan(250);
    expect(engine.pool.busyWorkers).toBe(0);
    expect(!existsSync(tmpRoot) || readdirSync(tmpRoot).length === 0).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.pool.liveWorkers).toBe(2);
    // The pool is still usable afterwards.
    const again = await engine.run(scanOf(t));
    expect(again.batches.reduce((s, b) => s + b.length, 0)).toBe(300);
  });

  it("removes spill files when tasks end, and when a cancelled task's worker was terminated mid-write", async () => {
    const t = engine.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
    const jobDirs = (): string[] => (existsSync(tmpRoot) ? readdirSync(tmpRoot) : []);
    await engine.run(fault(scanOf(t), "spill"));
    expect(jobDirs()).toEqual([]);
    const abort = new AbortController();
    const run = engine.run(fault(scanOf(t), "spill-then-spin"), { signal: abort.signal });
    for (let i = 0; i < 100 && jobDirs().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(jobDirs()).toHaveLength(1); // the job's spill files exist while it runs
    abort.abort();
    await expect(run).rejects.toMatchObject({ name: "Interrupted" });
    expect(jobDirs()).toEqual([]);
  });

  it("fails a job at once with one clear error when workers cannot start", async () => {
    const broken = createEngine({ workers: 2, spill: true }, { executorModule: new URL("../worker-pool/fixtures/broken-executor.ts", import.meta.url).href, tmpRoot });
    try {
      const t = broken.registerTable(rowsToBatches(rows, schema), schema, { partitions: 2 });
      await expect(broken.run(scanOf(t))).rejects.toThrow(/worker threads could not start: .*libkindling\.so/);
      expect(broken.pool.workersSpawned).toBe(2);
    } finally {
      await broken.stop();
    }
  });
});
