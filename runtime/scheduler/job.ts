/**
 * One job: runs a physical plan's stages as a DAG on the worker pool (a stage starts when its
 * parents are done; independent stages run at once), one task per partition.
 *
 * Faults: a crashed worker's task is retried on a fresh worker (bounded attempts); an error thrown
 * by task code is deterministic (same input, same error), so it is not retried and fails the job
 * naming stage, partition and, for user errors, a sample row; a shuffle block that fails its
 * checksum makes its map task rerun (bounded); a heap-limit crash is ResourcesExhausted.
 * Cancellation (signal or a failure elsewhere) stops every task, and run() settles only when no
 * task of the job is still running. The job's temp directory is removed whatever the outcome.
 */
import { exchangePartitions } from "./exchange-partitions.js";
import { setMaxListeners } from "node:events";
import { rmSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Batch } from "../batch/column.js";
import type { DataPartitioning } from "../logical/plan.js";
import type { TaskMetrics } from "../metrics/events.js";
import { JobMetricsCollector } from "../metrics/collector.js";
import type { PhysicalPlan } from "../physical/plan.js";
import { partitionCount, physicalChildren } from "../physical/plan.js";
import type { TaskHooks, WorkerPool } from "../worker/pool.js";
import type { ShuffleBlock, TaskOutput, TaskSpec } from "../worker/protocol.js";
import type { RunOptions, RunResult } from "./contract.js";
import { planReads, type TaskRead } from "./adaptive.js";
import { planBroadcastSwitch, type BroadcastSwitch } from "./adaptive-broadcast.js";
import type { BlockStore } from "./block-store.js";
import { Interrupted, JobFailed, ResourcesExhausted, formatBytes } from "./errors.js";
import { rangeBounds } from "./range-bounds.js";
import { cutStages, type Stage } from "./stages.js";
import { ShuffleReleases, type TaskBlockReads } from "./shuffle-release.js";
import type { ShuffleMemory } from "./shuffle-memory.js";

export interface JobSettings {
  readonly memoryBudget: number | undefined;
  readonly spill: boolean;
  readonly tmpRoot: string;
  readonly maxTaskAttempts: number;
  readonly maxFetchFailures: number;
  readonly adaptive: boolean;
  readonly advisoryPartitionBytes: number;
  readonly skewFactor: number;
  readonly skewMinBytes: number;
  readonly heapLimitMb: number | undefined;
  /** The engine's shuffle memory: map tasks keep blocks in memory up to their grant, spill the rest. */
  readonly shuffleMemory: ShuffleMemory;
  /** Test hook: sees (and may damage) every stored map output; returning "lose" drops it, as if lost. */
  readonly onShuffleBlocks?: (exchangeNodeId: number, mapPartition: number, blocks: readonly ShuffleBlock[]) => void | "lose";
  /** Test hook: a reduce partition's blocks (from every map) were let go, no task will read them again. */
  readonly onShuffleRelease?: (exchangeNodeId: number, reducePartition: number) => void;
}

interface ShuffleOutput {
  readonly stage: Stage;
  /** blocks[map][reduce] */
  readonly blocks: ShuffleBlock[][];
  fetchFailures: number;
  /** Bumped each time a map output is (re)written; tells a stale failure from a fresh one. */
  readonly versions: number[];
  /** Reruns in flight, so many readers of one bad block trigger one rerun. */
  readonly rerunning: Map<number, Promise<void>>;
  readonly runMap: (mapPartition: number) => Promise<void>;
}

let jobDirs = 0;

type TaskPlan = {
  readonly fragment: PhysicalPlan;
  readonly output: TaskOutput;
  readonly numPartitions: number;
  readonly reads?: readonly TaskRead[];
  /** Exchanges every task reads whole (adaptive broadcast switch of a join side). */
  readonly wholeExchanges?: ReadonlySet<number>;
};

export class Job {
  private readonly metrics: JobMetricsCollector;
  private readonly stages: Stage[];
  private readonly stageRuns = new Map<number, Promise<void>>();
  private readonly shuffles = new Map<number, ShuffleOutput>();
  private readonly broadcasts = new Map<number, readonly Batch[]>();
  private readonly results: Batch[][] = [];
  private readonly tempTables: string[] = [];
  private readonly cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly abort = new AbortController();
  private failure: Error | undefined;
  private nextTaskId = 1;
  private readonly tmpRoot: string;
  private readonly releases: ShuffleReleases;
  /** Bytes of this job's blocks in shared memory, given back to the engine's count when it ends. */
  private shuffleBytesInMemory = 0;
  /** Spill files and how many of their blocks are not yet released; a file goes when none is left. */
  private readonly spillFileBlocks = new Map<string, number>();

  constructor(
    private readonly jobId: number,
    private readonly plan: PhysicalPlan,
    private readonly pool: WorkerPool,
    private readonly store: BlockStore,
    private readonly settings: JobSettings,
    private readonly options: RunOptions,
  ) {
    this.metrics = new JobMetricsCollector(jobId, options.description ?? `job ${jobId}`, options.onEvent);
    this.stages = cutStages(plan, (id) => store.cache(id) !== undefined);
    this.releases = new ShuffleReleases(this.stages, (x, r) => this.releaseBlocks(x, r));
    // Unique per job in this process: several engines (sessions, tests) share the default root.
    this.tmpRoot = join(settings.tmpRoot, `job-${jobId}-${++jobDirs}`);
    // Every queued or running task listens for the job's cancellation: many listeners is normal.
    setMaxListeners(0, this.abort.signal);
  }

  async run(): Promise<RunResult> {
    const onAbort = (): void => this.fail(new Interrupted());
    if (this.options.signal?.aborted) onAbort();
    this.options.signal?.addEventListener("abort", onAbort, { once: true });
    this.metrics.jobStart(this.stages.map((s) => ({ stageId: s.id, numTasks: s.numPartitions, parents: s.parents, nodeIds: s.nodeIds })));
    try {
      await this.pool.ready().catch((e: Error) => this.fail(e));
      if (!this.failure) await Promise.allSettled(this.stages.map((s) => this.stageDone(s.id)));
    } finally {
      this.options.signal?.removeEventListener("abort", onAbort);
      for (const id of this.tempTables) this.store.dropTable(id);
      this.settings.shuffleMemory.remove(this.shuffleBytesInMemory);
      this.shuffleBytesInMemory = 0;
      this.shuffles.clear();
      // Synchronous on purpose: the directory is usually absent or tiny, and the caller must not
      // see the job settle while its temp files still exist.
      try {
        rmSync(this.tmpRoot, { recursive: true, force: true });
      } catch {
        // best effort: a file held open elsewhere must not turn a result into an error
      }
    }
    if (this.failure) {
      this.metrics.jobEnd(this.failure.message);
      throw this.failure;
    }
    const metrics = this.metrics.jobEnd();
    return { schema: this.plan.schema, batches: this.results.flat(), metrics };
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    Atomics.store(this.cancelFlag, 0, 1);
    this.abort.abort();
  }

  private stageDone(id: number): Promise<void> {
    let p = this.stageRuns.get(id);
    if (p === undefined) {
      const stage = this.stages[id]!;
      p = Promise.all(stage.parents.map((parent) => this.stageDone(parent))).then(() => this.runStage(stage));
      p.catch((e: Error) => this.fail(e));
      this.stageRuns.set(id, p);
    }
    return p;
  }

  private async runStage(stage: Stage): Promise<void> {
    if (this.failure) throw this.failure;
    const out = stage.output;
    if (out.kind === "shuffle" && out.exchange.partitioning.kind === "range") return this.runRangeMapStage(stage, out.exchange.partitioning);
    const switched = this.adaptiveBroadcast(stage);
    const reads = this.adaptiveReads(stage, switched?.wholeExchanges);
    const n = reads?.length ?? stage.numPartitions;
    const output: TaskOutput =
      out.kind === "shuffle" ? { kind: "shuffle", partitioning: out.exchange.partitioning } : { kind: "collect", shared: out.kind !== "result" };
    const plan: TaskPlan = {
      fragment: switched?.fragment ?? stage.fragment,
      output,
      numPartitions: n,
      ...(reads ? { reads } : {}),
      ...(switched ? { wholeExchanges: switched.wholeExchanges } : {}),
    };
    this.metrics.stageStart(stage.id, n);
    const collected: Batch[][] = new Array(n);
    if (out.kind === "shuffle") this.registerShuffle(stage, out.exchange.id, plan, n);
    const taskReads = this.planReleases(stage, plan);
    await settleAll(Array.from({ length: n }, (_, p) => this.runTask(stage, plan, p, (batches) => void (collected[p] = batches)).then(() => this.releases.succeeded(taskReads[p]!))));
    if (out.kind === "result") this.results.push(...collected);
    if (out.kind === "broadcast") this.broadcasts.set(out.exchange.id, collected.flat());
    if (out.kind === "cache") this.store.putCache(out.cache.cacheId, collected, out.cache.schema, dataPartitioning(out.cache));
    this.metrics.stageEnd(stage.id);
  }

  /** Range shuffle: tasks return output + key samples, the driver picks bounds, then tasks split. */
  private async runRangeMapStage(stage: Stage, partitioning: Extract<PhysicalPlan, { kind: "ShuffleExchangeExec" }>["partitioning"] & { kind: "range" }): Promise<void> {
    const exchange = (stage.output as { exchange: Extract<PhysicalPlan, { kind: "ShuffleExchangeExec" }> }).exchange;
    const n = stage.numPartitions;
    this.metrics.stageStart(stage.id, n);
    const sampled: Batch[][] = new Array(n);
    const samples: Batch[] = [];
    const sampleSize = Math.min(10_000, 20 * partitionCount(partitioning));
    const samplePlan: TaskPlan = { fragment: stage.fragment, output: { kind: "sample", partitioning, sampleSize }, numPartitions: n };
    const taskReads = this.planReleases(stage, samplePlan);
    await settleAll(
      Array.from({ length: n }, (_, p) =>
        this.runTask(stage, samplePlan, p, (batches, sample) => {
          sampled[p] = batches;
          if (sample) samples.push(sample);
        }).then(() => this.releases.succeeded(taskReads[p]!)),
      ),
    );
    const bounds = rangeBounds(samples, partitioning.order, partitionCount(partitioning));
    const temp = this.store.addTable(sampled, stage.fragment.schema, undefined, `range:${this.jobId}:${exchange.id}`);
    this.tempTables.push(temp.source.id);
    const scan: PhysicalPlan = { kind: "ScanExec", id: exchange.id, schema: stage.fragment.schema, outputPartitioning: { kind: "unknown", n }, source: temp.source, filters: [] };
    const splitStage: Stage = { ...stage, fragment: scan, tableReads: [temp.source], shuffleReads: [], broadcastReads: [], cacheReads: [] };
    const plan: TaskPlan = { fragment: scan, output: { kind: "shuffle", partitioning, ...(bounds ? { bounds } : {}) }, numPartitions: n };
    this.metrics.adaptive(stage.id, `range bounds for ${partitionCount(partitioning)} partitions from ${samples.reduce((s, b) => s + b.length, 0)} sampled keys`);
    this.registerShuffle(splitStage, exchange.id, plan, n);
    await settleAll(Array.from({ length: n }, (_, p) => this.runTask(splitStage, plan, p, () => undefined)));
    this.metrics.stageEnd(stage.id);
  }

  private registerShuffle(stage: Stage, exchangeId: number, plan: TaskPlan, n: number): void {
    const entry: ShuffleOutput = {
      stage,
      blocks: new Array(n),
      fetchFailures: 0,
      versions: new Array<number>(n).fill(0),
      rerunning: new Map(),
      runMap: (m) => this.runTask(stage, plan, m, () => undefined, 1),
    };
    this.shuffles.set(exchangeId, entry);
  }

  /** Adaptive: a partitioned join whose side turned out under autoBroadcastThreshold reads that side whole. */
  private adaptiveBroadcast(stage: Stage): BroadcastSwitch | undefined {
    const threshold = this.options.autoBroadcastThreshold;
    if (!this.settings.adaptive || threshold === undefined || threshold <= 0 || stage.shuffleReads.length < 2) return undefined;
    const totalBytes = (x: number): number | undefined => {
      const blocks = this.shuffles.get(x)?.blocks;
      if (!blocks || blocks.length === 0) return undefined;
      let total = 0;
      for (let m = 0; m < blocks.length; m++) {
        const map = blocks[m];
        if (map === undefined) return undefined; // a lost output: size unknown until recomputed
        for (const b of map) total += b.bytes;
      }
      return total;
    };
    const notes: string[] = [];
    const switched = planBroadcastSwitch(stage.fragment, totalBytes, threshold, notes);
    for (const note of notes) this.metrics.adaptive(stage.id, note);
    return switched;
  }

  /** Adaptive: coalesce small reduce partitions and split skewed join partitions, from real sizes. */
  private adaptiveReads(stage: Stage, wholeExchanges?: ReadonlySet<number>): TaskRead[] | undefined {
    if (!this.settings.adaptive || stage.shuffleReads.length === 0) return undefined;
    const bytes = new Map<number, number[][]>();
    // A side every task reads whole takes no part in coalescing or skew splitting.
    const partitioned = stage.shuffleReads.filter((x) => !wholeExchanges?.has(x));
    if (partitioned.length === 0) return undefined;
    for (const x of partitioned) {
      const blocks = this.shuffles.get(x)!.blocks;
      if (blocks.some((m) => m === undefined)) return undefined; // lost outputs are recomputed first
      bytes.set(x, blocks.map((m) => m.map((b) => b.bytes)));
    }
    const n = bytes.get(partitioned[0]!)![0]?.length ?? 0;
    if ([...bytes.values()].some((maps) => maps.some((m) => m.length !== n))) return undefined;
    const notes: string[] = [];
    const reads = planReads(stage, bytes, this.settings, notes);
    for (const note of notes) this.metrics.adaptive(stage.id, note);
    return reads;
  }

  private spec(stage: Stage, plan: TaskPlan, partition: number, attempt: number): TaskSpec {
    const read: TaskRead = plan.reads?.[partition] ?? { from: partition, to: partition + 1 };
    const tables: Record<string, readonly (readonly Batch[])[]> = {};
    for (const t of stage.tableReads) {
      const stored = this.store.table(t.id);
      if (stored === undefined) throw new JobFailed(`Table ${t.id} is no longer in the engine (dropped or from a stopped session); recreate the DataFrame.`, "Error", stage.id, partition);
      tables[t.id] = this.partitionsFor(stage, stored.partitions, partition);
    }
    const caches: Record<string, readonly (readonly Batch[])[]> = {};
    for (const id of stage.cacheReads) {
      const c = this.store.cache(id);
      if (c) caches[id] = this.partitionsFor(stage, c.partitions, partition);
    }
    const exchanges: Record<number, ShuffleBlock[]> = {};
    for (const [x, reduces] of this.blockReads(stage, plan, partition)) {
      const released = reduces.find((r) => this.releases.isReleased(x, r));
      if (released !== undefined) {
        throw new JobFailed(`Internal error: partition ${released} of shuffle ${x} was released while ${this.where(stage, partition, attempt)} still needed it; please report the query.`, "Error", stage.id, partition);
      }
      const blocks: ShuffleBlock[] = [];
      const maps = this.shuffles.get(x)!.blocks;
      const split = read.split?.exchange === x ? read.split : undefined;
      if (plan.wholeExchanges?.has(x)) {
        for (const map of maps) blocks.push(...map);
        exchanges[x] = blocks;
        continue;
      }
      for (let m = split?.mapFrom ?? 0; m < (split?.mapTo ?? maps.length); m++) for (const r of reduces) blocks.push(maps[m]![r]!);
      exchanges[x] = blocks;
    }
    const broadcasts: Record<number, readonly Batch[]> = {};
    for (const x of stage.broadcastReads) broadcasts[x] = this.broadcasts.get(x)!;
    return {
      taskId: this.nextTaskId++,
      jobId: this.jobId,
      stageId: stage.id,
      partition,
      attempt,
      numPartitions: plan.numPartitions,
      fragment: plan.fragment,
      output: plan.output,
      tables,
      exchanges,
      broadcasts,
      caches,
      memoryBudget: this.settings.memoryBudget,
      spill: this.settings.spill,
      cancelFlag: this.cancelFlag,
      tmpRoot: this.tmpRoot,
    };
  }

  /** Which reduce partitions of each shuffle a task reads (a skew split reads some maps of them). */
  private blockReads(stage: Stage, plan: TaskPlan, partition: number): TaskBlockReads {
    const read: TaskRead = plan.reads?.[partition] ?? { from: partition, to: partition + 1 };
    // Unions and coalesces renumber partitions below them: ask the fragment which ones it reads.
    const renumbered = readsOtherPartitions(stage.fragment) ? exchangePartitions(stage.fragment, partition, plan.numPartitions) : undefined;
    const out = new Map<number, number[]>();
    for (const x of stage.shuffleReads) {
      if (plan.wholeExchanges?.has(x)) out.set(x, range(0, Math.max(this.releases.reduces(x), ...this.shuffles.get(x)!.blocks.map((m) => m?.length ?? 0))));
      else out.set(x, renumbered ? [...(renumbered.get(x) ?? [])].sort((a, b) => a - b) : range(read.from, read.to));
    }
    return out;
  }

  /** Tells the release bookkeeping what each task of this stage will read; returns it per task. */
  private planReleases(stage: Stage, plan: TaskPlan): TaskBlockReads[] {
    const reads = Array.from({ length: plan.numPartitions }, (_, p) => this.blockReads(stage, plan, p));
    this.releases.planned(stage, reads);
    return reads;
  }

  /** Drops the driver's references to one reduce partition's blocks (and spill files no block needs); sizes stay for metrics. */
  private releaseBlocks(exchange: number, reduce: number): void {
    const entry = this.shuffles.get(exchange);
    if (entry)
      for (const map of entry.blocks) {
        const block = map?.[reduce];
        if (!block) continue;
        this.forgetBlock(block);
        map[reduce] = releasedBlock(block);
      }
    this.settings.onShuffleRelease?.(exchange, reduce);
  }

  /** A block is in the store: count its memory (the engine counted it as its task ended), or its spill file's readers. */
  private trackBlock(block: ShuffleBlock): void {
    if (block.file === undefined) this.shuffleBytesInMemory += block.bytes;
    else this.spillFileBlocks.set(block.file.path, (this.spillFileBlocks.get(block.file.path) ?? 0) + 1);
  }

  /** A block left the store (released, replaced or lost). */
  private forgetBlock(block: ShuffleBlock): void {
    if (block.file === undefined) {
      const bytes = Math.min(block.bytes, this.shuffleBytesInMemory);
      this.shuffleBytesInMemory -= bytes;
      this.settings.shuffleMemory.remove(bytes);
      return;
    }
    const path = block.file.path;
    const left = (this.spillFileBlocks.get(path) ?? 1) - 1;
    if (left > 0) {
      this.spillFileBlocks.set(path, left);
      return;
    }
    this.spillFileBlocks.delete(path);
    // Best effort: the job's directory, and whatever is still in it, goes when the job ends.
    unlink(path).catch(() => undefined);
  }

  /**
   * The partitions of a stored table a task may read: only its own, unless an operator in the
   * fragment (union, coalesce) reads other partitions by number. Keeps task messages small.
   */
  private partitionsFor(stage: Stage, partitions: readonly (readonly Batch[])[], partition: number): readonly (readonly Batch[])[] {
    if (readsOtherPartitions(stage.fragment)) return partitions;
    return partitions.map((p, i) => (i === partition ? p : []));
  }

  private where(stage: Stage, partition: number, attempt: number): string {
    return `stage ${stage.id}, partition ${partition} (attempt ${attempt + 1})`;
  }

  private async runTask(stage: Stage, plan: TaskPlan, partition: number, onCollect: (batches: Batch[], sample?: Batch) => void, firstAttempt = 0): Promise<void> {
    for (let attempt = firstAttempt; ; attempt++) {
      if (this.failure) throw this.failure;
      await this.recoverLostMapOutputs(stage);
      const versionsSeen = new Map(stage.shuffleReads.map((x) => [x, [...this.shuffles.get(x)!.versions]] as const));
      const started = performance.now();
      const outcome = await this.pool.submit(this.spec(stage, plan, partition, attempt), [], this.abort.signal, this.shuffleMemoryHooks(stage, plan, partition));
      if (outcome.kind === "done") {
        this.metrics.taskEnd(outcome.metrics);
        const r = outcome.result;
        if (r.kind === "shuffle") this.storeBlocks(stage, partition, r.blocks);
        else if (r.kind === "sample") onCollect([...r.batches], r.sample);
        else onCollect([...r.batches]);
        return;
      }
      if (outcome.kind === "cancelled") throw this.failure ?? new Interrupted();
      if (outcome.kind === "crashed") {
        this.metrics.taskEnd(emptyTaskMetrics(stage.id, partition, attempt, performance.now() - started));
        if (outcome.outOfMemory) {
          const limit = this.settings.heapLimitMb ? `${this.settings.heapLimitMb} MB heap per worker` : "the worker's heap";
          throw new ResourcesExhausted(`ResourcesExhausted: ${this.where(stage, partition, attempt)} ran out of memory (limit: ${limit}); the worker was replaced and the session is fine. Use more partitions, a memory budget with spilling, or a larger heap limit.`);
        }
        if (attempt + 1 >= this.settings.maxTaskAttempts) {
          throw new JobFailed(`Task failed ${attempt + 1} times in ${this.where(stage, partition, attempt)}: its worker thread died (${outcome.reason}). Giving up; check for code that exits the process or crashes natively.`, "Error", stage.id, partition);
        }
        continue;
      }
      if (outcome.metrics) this.metrics.taskEnd(outcome.metrics);
      const e = outcome.error;
      if (e.name === "Interrupted") throw this.failure ?? new Interrupted();
      if (e.fetchFailed) {
        const shuffle = this.shuffles.get(e.fetchFailed.exchangeNodeId);
        const m = e.fetchFailed.mapPartition;
        if (shuffle && shuffle.versions[m] !== versionsSeen.get(e.fetchFailed.exchangeNodeId)?.[m]) continue; // already recomputed
        if (shuffle && (shuffle.rerunning.has(m) || ++shuffle.fetchFailures <= this.settings.maxFetchFailures)) {
          await this.rerunMap(shuffle, m);
          continue;
        }
        throw new JobFailed(`${e.message} in ${this.where(stage, partition, attempt)}; the map output was recomputed ${this.settings.maxFetchFailures} times and is still bad.`, e.name, stage.id, partition);
      }
      const desc = this.options.description ? ` (${this.options.description})` : "";
      const message = e.message.startsWith(`${e.name}:`) ? e.message : `${e.name}: ${e.message}`;
      throw new JobFailed(`Job ${this.jobId}${desc} failed in ${this.where(stage, partition, attempt)}: ${message}`, e.name, stage.id, partition);
    }
  }

  /** Map tasks get their share of shuffle memory as they start, and give it back as they end. */
  private shuffleMemoryHooks(stage: Stage, plan: TaskPlan, partition: number): TaskHooks | undefined {
    const memory = this.settings.shuffleMemory;
    if (plan.output.kind !== "shuffle" || stage.output.kind !== "shuffle" || memory.unlimited) return undefined;
    const exchangeId = stage.output.exchange.id;
    let grant: number | undefined;
    return {
      atStart: (task) => {
        grant = memory.grant();
        return { ...task, shuffleSpill: { memoryQuota: grant, path: join(this.tmpRoot, `shuffle-x${exchangeId}-m${partition}-t${task.taskId}.blocks`) } };
      },
      atEnd: (outcome) => {
        if (grant !== undefined) memory.settle(grant);
        grant = undefined;
        // Counted now, not when the job stores them a moment later: the next map task is
        // already starting, and its grant must see these bytes.
        if (outcome.kind === "done" && outcome.result.kind === "shuffle") memory.add(inMemoryBytes(outcome.result.blocks));
      },
    };
  }

  /** Reruns map tasks whose output this stage needs but the store no longer has (bounded). */
  private async recoverLostMapOutputs(stage: Stage): Promise<void> {
    for (const x of stage.shuffleReads) {
      const shuffle = this.shuffles.get(x)!;
      for (let m = 0; m < shuffle.blocks.length; m++) {
        if (shuffle.blocks[m] !== undefined) continue;
        if (!shuffle.rerunning.has(m) && ++shuffle.fetchFailures > this.settings.maxFetchFailures) {
          throw new JobFailed(`ShuffleFetchFailed: map output ${m} of exchange ${x} was lost ${this.settings.maxFetchFailures} times; giving up.`, "ShuffleFetchFailed", stage.id, undefined);
        }
        await this.rerunMap(shuffle, m);
      }
    }
  }

  private rerunMap(shuffle: ShuffleOutput, m: number): Promise<void> {
    let p = shuffle.rerunning.get(m);
    if (p === undefined) {
      p = shuffle.runMap(m).finally(() => shuffle.rerunning.delete(m));
      shuffle.rerunning.set(m, p);
    }
    return p;
  }

  private storeBlocks(stage: Stage, mapPartition: number, blocks: readonly ShuffleBlock[]): void {
    const out = stage.output as { exchange: { id: number } };
    const entry = this.shuffles.get(out.exchange.id)!;
    const x = out.exchange.id;
    const old = entry.blocks[mapPartition];
    if (old) {
      this.metrics.shuffleUnwrite(stage.id, old);
      this.dropMapOutput(x, old);
    }
    entry.blocks[mapPartition] = blocks.map((b, r) => {
      if (!this.releases.isReleased(x, r)) {
        this.trackBlock(b);
        return b;
      }
      // A rerun map task rewrites every reduce partition: keep the ones already consumed released.
      if (b.file === undefined) this.settings.shuffleMemory.remove(b.bytes);
      return releasedBlock(b);
    });
    entry.versions[mapPartition] = (entry.versions[mapPartition] ?? 0) + 1;
    this.metrics.shuffleWrite(stage.id, blocks);
    if (this.settings.onShuffleBlocks?.(x, mapPartition, blocks) === "lose") {
      this.metrics.shuffleUnwrite(stage.id, blocks);
      this.dropMapOutput(x, entry.blocks[mapPartition]);
      delete entry.blocks[mapPartition];
    }
  }

  /**
   * A map output is replaced (its task reran) or lost: its unreleased in-memory blocks stop
   * counting (released ones were forgotten already). Its spill file stays until the job ends: a
   * task may still be reading it.
   */
  private dropMapOutput(exchange: number, blocks: readonly ShuffleBlock[]): void {
    blocks.forEach((b, r) => {
      if (!this.releases.isReleased(exchange, r) && b.file === undefined) this.forgetBlock(b);
    });
  }
}

function inMemoryBytes(blocks: readonly ShuffleBlock[]): number {
  let n = 0;
  for (const b of blocks) if (b.file === undefined) n += b.bytes;
  return n;
}

function releasedBlock(b: ShuffleBlock): ShuffleBlock {
  return { mapPartition: b.mapPartition, batches: [], rows: b.rows, bytes: b.bytes, checksum: b.checksum };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function readsOtherPartitions(node: PhysicalPlan): boolean {
  if (node.kind === "UnionExec" || node.kind === "CoalescePartitionsExec") return true;
  if (node.kind === "ShuffleExchangeExec" || node.kind === "BroadcastExchangeExec") return false;
  return physicalChildren(node).some(readsOtherPartitions);
}

/** Like Promise.all, but waits for every task to settle first, so no task outlives its job. */
async function settleAll(tasks: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

function emptyTaskMetrics(stageId: number, partition: number, attempt: number, durationMs: number): TaskMetrics {
  return { stageId, partition, attempt, durationMs, rowsIn: 0, rowsOut: 0, batchesOut: 0, bytesOut: 0, shuffleWriteBytes: 0, shuffleWriteRecords: 0, shuffleReadBytes: 0, shuffleReadRecords: 0, spillBytes: 0, shuffleSpillBytes: 0, peakMemoryBytes: 0, operators: [] };
}

function dataPartitioning(node: PhysicalPlan): DataPartitioning | undefined {
  const p = node.outputPartitioning;
  const names = (exprs: readonly PhysicalPlan["outputPartitioning"][] | readonly unknown[]): string[] | undefined => {
    const out: string[] = [];
    for (const e of exprs as readonly { kind: string; name?: string }[]) {
      if (e.kind !== "Column" || e.name === undefined) return undefined;
      out.push(e.name);
    }
    return out;
  };
  if (p.kind === "hash") {
    const keys = names(p.keys);
    return keys ? { kind: "hash", keys, n: p.n, hashVersion: p.hashVersion } : undefined;
  }
  if (p.kind === "range") {
    const keys = names(p.order.map((o) => o.expr));
    return keys ? { kind: "range", keys, n: p.n } : undefined;
  }
  return undefined;
}
