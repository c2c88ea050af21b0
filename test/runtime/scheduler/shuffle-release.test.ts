/**
 * Shuffle blocks are let go as soon as no task can read them again: the bookkeeping alone
 * (ShuffleReleases over hand-made stages), then real jobs on the fixture executor.
 */
import { getEventListeners } from "node:events";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import type { EngineEvent } from "../../../runtime/metrics/events.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { BlockStore } from "../../../runtime/scheduler/block-store.js";
import { Job, type JobSettings } from "../../../runtime/scheduler/job.js";
import { ShuffleMemory } from "../../../runtime/scheduler/shuffle-memory.js";
import { ShuffleReleases, type TaskBlockReads } from "../../../runtime/scheduler/shuffle-release.js";
import { cutStages, type Stage } from "../../../runtime/scheduler/stages.js";
import { WorkerPool } from "../../../runtime/worker/pool.js";
import type { ShuffleBlock } from "../../../runtime/worker/protocol.js";
import { fixtureExecutor } from "../worker-pool/helpers.js";
import { fault, hashOn, join, project, scanOf, schema, shuffle } from "./plans.js";

const reads = (entries: [number, number[]][]): TaskBlockReads => new Map(entries);
const rows = Array.from({ length: 300 }, (_, i) => ({ k: (i * 7919) % 101, s: i % 5 === 0 ? null : `row-${i}` }));
const sortRows = (r: Record<string, unknown>[]): string[] => r.map((x) => JSON.stringify(x)).sort();

/** Stages of a plan over a stand-in table (ids only matter for the bookkeeping). */
function stagesOf(plan: PhysicalPlan): Stage[] {
  return cutStages(plan, () => false);
}
const table = { kind: "memory" as const, id: "t", partitions: 2, rows: 0, bytes: 0 };
const exchangeIds = (stages: readonly Stage[]): number[] => stages.flatMap((s) => (s.output.kind === "shuffle" ? [s.output.exchange.id] : []));

describe("ShuffleReleases: when a reduce partition may go", () => {
  it("releases partition r only after the task reading it succeeded, one partition at a time", () => {
    const stages = stagesOf(project(shuffle(scanOf(table), hashOn(3))));
    const [x] = exchangeIds(stages);
    const released: number[] = [];
    const rel = new ShuffleReleases(stages, (_x, r) => released.push(r));
    const reader = stages.at(-1)!;
    rel.planned(reader, [0, 1, 2].map((r) => reads([[x!, [r]]])));
    expect(released).toEqual([]);
    rel.succeeded(reads([[x!, [1]]]));
    expect(released).toEqual([1]);
    expect(rel.isReleased(x!, 1)).toBe(true);
    expect(rel.isReleased(x!, 0)).toBe(false);
    rel.succeeded(reads([[x!, [0]]]));
    rel.succeeded(reads([[x!, [2]]]));
    expect(released).toEqual([1, 0, 2]);
  });

  it("keeps a reused exchange until every stage reading it has planned and read it", () => {
    const x = shuffle(scanOf(table), hashOn(2));
    // One exchange node read by two stages: a map stage re-shuffling it, and the join stage.
    const down = shuffle(project(x), hashOn(2));
    const stages = stagesOf(join(down, project(x), "partitioned"));
    const readers = stages.filter((s) => s.shuffleReads.includes(x.id));
    expect(readers).toHaveLength(2);
    const released: string[] = [];
    const rel = new ShuffleReleases(stages, (e, r) => released.push(`${e}:${r}`));
    const [mapStage, joinStage] = readers;
    rel.planned(mapStage!, [reads([[x.id, [0]]]), reads([[x.id, [1]]])]);
    rel.succeeded(reads([[x.id, [0]]]));
    rel.succeeded(reads([[x.id, [1]]]));
    expect(released).toEqual([]); // the join stage has not read it yet
    const task = (p: number): TaskBlockReads => reads([[down.id, [p]], [x.id, [p]]]);
    rel.planned(joinStage!, [task(0), task(1)]);
    rel.succeeded(task(0));
    // down:0 is consumed; x:0 too, but the map stage that wrote `down` may still rerun from x.
    expect(released).toEqual([`${down.id}:0`]);
    rel.succeeded(task(1));
    expect(released).toEqual([`${down.id}:0`, `${down.id}:1`, `${x.id}:0`, `${x.id}:1`]);
  });

  it("waits for every piece of a split skewed partition, and for whole-exchange readers", () => {
    const stages = stagesOf(project(shuffle(scanOf(table), hashOn(2))));
    const [x] = exchangeIds(stages);
    const released: number[] = [];
    const rel = new ShuffleReleases(stages, (_x, r) => released.push(r));
    // Two tasks split partition 1 by map output; a third reads partition 0.
    rel.planned(stages.at(-1)!, [reads([[x!, [1]]]), reads([[x!, [1]]]), reads([[x!, [0]]])]);
    rel.succeeded(reads([[x!, [1]]]));
    expect(released).toEqual([]);
    rel.succeeded(reads([[x!, [1]]]));
    expect(released).toEqual([1]);
    rel.succeeded(reads([[x!, [0]]]));
    expect(released).toEqual([1, 0]);
  });

  it("keeps a map stage's input until that stage's own shuffle is fully consumed (a lost block reruns it)", () => {
    const upstream = shuffle(scanOf(table), hashOn(2));
    const downstream = shuffle(project(upstream), hashOn(2));
    const stages = stagesOf(project(downstream));
    const released: string[] = [];
    const rel = new ShuffleReleases(stages, (e, r) => released.push(`${e}:${r}`));
    const mapStage = stages.find((s) => s.output.kind === "shuffle" && s.output.exchange.id === downstream.id)!;
    rel.planned(mapStage, [reads([[upstream.id, [0]]]), reads([[upstream.id, [1]]])]);
    rel.succeeded(reads([[upstream.id, [0]]]));
    rel.succeeded(reads([[upstream.id, [1]]]));
    expect(released).toEqual([]);
    rel.planned(stages.at(-1)!, [reads([[downstream.id, [0]]]), reads([[downstream.id, [1]]])]);
    rel.succeeded(reads([[downstream.id, [0]]]));
    expect(released).toEqual([`${downstream.id}:0`]);
    rel.succeeded(reads([[downstream.id, [1]]]));
    expect(released).toEqual([`${downstream.id}:0`, `${downstream.id}:1`, `${upstream.id}:0`, `${upstream.id}:1`]);
  });
});

describe("Job: shuffle blocks are dropped as reduce tasks finish", () => {
  const tmpRoot = joinPath(tmpdir(), `kindling-release-test-${process.pid}`);
  let pool: WorkerPool;
  let store: BlockStore;
  let jobs = 1000;
  beforeAll(async () => {
    pool = new WorkerPool({ size: 2, executorModule: fixtureExecutor, maxOldGenerationSizeMb: 512 });
    await pool.ready();
    store = new BlockStore();
  });
  afterAll(async () => pool.close());

  const settings = (over: Partial<JobSettings>): JobSettings => ({
    memoryBudget: undefined, spill: true, tmpRoot, maxTaskAttempts: 4, maxFetchFailures: 4, adaptive: true,
    advisoryPartitionBytes: 8 * 1024 * 1024, skewFactor: 5, skewMinBytes: 32 * 1024 * 1024, heapLimitMb: 512,
    shuffleMemory: new ShuffleMemory({ limit: Infinity, minAvailable: 0, workers: 2 }), ...over,
  });

  /** Runs a plan, recording releases and task ends in one timeline. */
  async function runLogged(plan: PhysicalPlan, over: Partial<JobSettings> = {}) {
    const timeline: string[] = [];
    const stored = new Map<number, ShuffleBlock[][]>();
    const res = await new Job(jobs++, plan, pool, store, settings({
      onShuffleRelease: (x, r) => timeline.push(`release ${x}:${r}`),
      ...over,
    }), { onEvent: (e: EngineEvent) => void (e.type === "taskEnd" && timeline.push(`end ${e.metrics.stageId}:${e.metrics.partition}:${e.metrics.attempt}`)) }).run();
    return { res, timeline, stored };
  }

  it("releases each reduce partition once, right after the task that read it, with the same answer", async () => {
    const t = store.addTable([rowsToBatches(rows.slice(0, 150), schema, 32), rowsToBatches(rows.slice(150), schema, 32)], schema).source;
    const x = shuffle(scanOf(t), hashOn(4));
    const { res, timeline } = await runLogged(project(x), { adaptive: false });
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
    for (let r = 0; r < 4; r++) {
      const at = timeline.indexOf(`release ${x.id}:${r}`);
      expect(at).toBeGreaterThan(timeline.indexOf(`end 1:${r}:0`));
      expect(timeline.filter((e) => e === `release ${x.id}:${r}`)).toHaveLength(1);
    }
    // Shuffle metrics still count every byte written and read.
    expect(res.metrics.stages[0]!.shuffleWriteByPartition!.reduce((s, p) => s + p.records, 0)).toBe(300);
    expect(res.metrics.stages[1]!.tasks.reduce((s, task) => s + task.shuffleReadRecords, 0)).toBe(300);
  });

  it("a finished task leaves no listener on the job's signal (it would keep the task's inputs alive)", async () => {
    const t = store.addTable([rowsToBatches(rows.slice(0, 150), schema), rowsToBatches(rows.slice(150), schema)], schema).source;
    const abort = new AbortController();
    // More tasks than workers, so some wait in the queue first.
    const outcomes = await Promise.all([0, 1, 0, 1, 0, 1].map((p, i) => pool.submit({
      taskId: 900_000 + i, jobId: 9, stageId: 0, partition: p, attempt: 0, numPartitions: 2, fragment: scanOf(t), output: { kind: "collect", shared: false },
      tables: { [t.id]: store.table(t.id)!.partitions }, exchanges: {}, broadcasts: {}, caches: {}, memoryBudget: undefined, spill: false,
      cancelFlag: new Int32Array(new SharedArrayBuffer(4)), tmpRoot,
    }, [], abort.signal)));
    expect(outcomes.map((o) => o.kind)).toEqual(["done", "done", "done", "done", "done", "done"]);
    expect(getEventListeners(abort.signal, "abort")).toHaveLength(0);
  });

  it("a reduce task whose worker crashed is retried with its blocks still there", async () => {
    const t = store.addTable([rowsToBatches(rows.slice(0, 150), schema), rowsToBatches(rows.slice(150), schema)], schema).source;
    const x = shuffle(scanOf(t), hashOn(2));
    const { res, timeline } = await runLogged(fault(x, "crash"), { adaptive: false });
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
    expect(timeline.indexOf(`release ${x.id}:1`)).toBeGreaterThan(timeline.indexOf("end 1:1:1"));
  });

  it("a lost map output is recomputed and the job still answers, then everything is released", async () => {
    const t = store.addTable([rowsToBatches(rows.slice(0, 150), schema), rowsToBatches(rows.slice(150), schema)], schema).source;
    const upstream = shuffle(scanOf(t), hashOn(3));
    const downstream = shuffle(project(upstream), hashOn(2));
    let lost = 0;
    const { res, timeline } = await runLogged(project(downstream), {
      onShuffleBlocks: (xid, map) => (xid === downstream.id && map === 0 && lost++ === 0 ? "lose" : undefined),
    });
    expect(lost).toBe(2);
    expect(sortRows(batchesToRows(res.batches))).toEqual(sortRows(rows));
    const releases = timeline.filter((e) => e.startsWith("release"));
    expect(new Set(releases).size).toBe(releases.length);
    expect(releases.filter((e) => e.startsWith(`release ${upstream.id}:`))).toHaveLength(3);
    // The upstream exchange goes only after the downstream one is fully consumed.
    const lastDownstream = Math.max(...releases.map((e, i) => (e.startsWith(`release ${downstream.id}:`) ? i : -1)));
    expect(releases.findIndex((e) => e.startsWith(`release ${upstream.id}:`))).toBeGreaterThan(lastDownstream);
  });

  it("a partitioned join of two shuffles releases both sides, coalesced or not", async () => {
    const l = store.addTable([rowsToBatches(rows, schema)], schema).source;
    const r = store.addTable([rowsToBatches(rows.slice(0, 40), schema), rowsToBatches(rows.slice(40, 60), schema)], schema).source;
    const left = shuffle(scanOf(l), hashOn(4));
    const right = shuffle(scanOf(r), hashOn(4));
    // The fixture "join" emits both sides of each task: every row of both tables, once.
    const expected = sortRows([...rows, ...rows.slice(0, 60)]);
    for (const adaptive of [false, true]) {
      const { res, timeline } = await runLogged(join(left, right, "partitioned"), { adaptive });
      expect(sortRows(batchesToRows(res.batches))).toEqual(expected);
      for (const x of [left.id, right.id]) for (let p = 0; p < 4; p++) expect(timeline).toContain(`release ${x}:${p}`);
    }
  });
});
