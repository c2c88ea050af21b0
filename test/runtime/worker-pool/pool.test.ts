import { afterEach, describe, expect, it } from "vitest";
import { rowsToBatches, batchesToRows } from "../../../runtime/batch/rows.js";
import { transferList } from "../../../runtime/batch/buffers.js";
import { WorkerPool } from "../../../runtime/worker/pool.js";
import { brokenExecutor, faultFilter, fixtureExecutor, intSchema, scan, taskSpec } from "./helpers.js";

const memory = { kind: "memory", id: "t1", partitions: 2, rows: 4, bytes: 0 } as const;
const rows = [
  { k: 1, v: 0.5 },
  { k: 2, v: null },
];

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("WorkerPool", () => {
  it("moves task input by transfer: the sender's buffers are detached, the worker sees the data", async () => {
    pool = new WorkerPool({ size: 1, executorModule: fixtureExecutor });
    await pool.ready();
    const batches = rowsToBatches(rows, intSchema);
    const values = (batches[0]!.columns[1] as { values: Float64Array }).values;
    const task = taskSpec(scan(memory, intSchema, { kind: "unknown", n: 1 }), { t1: [batches] });
    const outcome = pool.submit(task, transferList(batches));
    expect(values.byteLength).toBe(0);
    const done = await outcome;
    expect(done.kind).toBe("done");
    if (done.kind === "done" && done.result.kind === "collect") expect(batchesToRows(done.result.batches)).toEqual(rows);
  });

  it("replaces a worker that exits mid-task and reports the task as crashed", async () => {
    pool = new WorkerPool({ size: 2, executorModule: fixtureExecutor });
    await pool.ready();
    const plan = faultFilter(scan(memory, intSchema, { kind: "unknown", n: 2 }), "crash");
    const crashed = await pool.submit(taskSpec(plan, { t1: [[], rowsToBatches(rows, intSchema)] }, { partition: 1 }));
    expect(crashed.kind).toBe("crashed");
    const retried = await pool.submit(taskSpec(plan, { t1: [[], rowsToBatches(rows, intSchema)] }, { partition: 1, attempt: 1 }));
    expect(retried.kind).toBe("done");
    expect(pool.liveWorkers).toBe(2);
    expect(pool.workersSpawned).toBe(3);
  });

  it("fails at once with one clear error when workers cannot start, without respawning", async () => {
    pool = new WorkerPool({ size: 2, executorModule: brokenExecutor });
    await expect(pool.ready()).rejects.toThrow(/worker threads could not start: .*libkindling\.so/);
    const outcome = await pool.submit(taskSpec(scan(memory, intSchema, { kind: "unknown", n: 1 }), { t1: [[]] }));
    expect(outcome.kind).toBe("failed");
    if (outcome.kind === "failed") expect(outcome.error.message).toMatch(/could not start/);
    expect(pool.workersSpawned).toBe(2);
  });

  it("terminates and replaces a worker whose task ignores cancellation, within 100 ms", async () => {
    pool = new WorkerPool({ size: 1, executorModule: fixtureExecutor });
    await pool.ready();
    const abort = new AbortController();
    const outcome = pool.submit(taskSpec(faultFilter(scan(memory, intSchema, { kind: "unknown", n: 1 }), "spin"), { t1: [[]] }), [], abort.signal);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    abort.abort();
    expect((await outcome).kind).toBe("cancelled");
    expect(performance.now() - t0).toBeLessThan(250); // design bound 100 ms; slack for a loaded box
    await new Promise((r) => setTimeout(r, 20));
    expect(pool.liveWorkers).toBe(1);
    expect(pool.busyWorkers).toBe(0);
  });
});
