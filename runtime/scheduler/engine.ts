/**
 * createEngine: the ExecutionEngine (contract.ts) over a warm worker pool. The driver (this code)
 * plans stages, ships inputs and collects outputs; it runs in the kernel's exec worker, never on
 * the kernel's main thread, and computes nothing per row except sampling range bounds.
 */
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { rmdir } from "node:fs/promises";
import type { Batch } from "../batch/column.js";
import type { Schema } from "../expr/types.js";
import type { DataPartitioning, SourceRef } from "../logical/plan.js";
import type { PhysicalPlan } from "../physical/plan.js";
import { WorkerPool } from "../worker/pool.js";
import type { ShuffleBlock } from "../worker/protocol.js";
import { toSharedByColumn } from "../batch/buffers.js";
import { columnsWorthEncoding, dictionaryEncodeTable } from "../batch/dictionary.js";
import { BlockStore } from "./block-store.js";
import type { EngineOptions, ExecutionEngine, RunOptions, RunResult } from "./contract.js";
import { encodePartitionsInWorkers } from "./encode-partitions.js";
import { Job } from "./job.js";
import { ShuffleMemory, defaultMinAvailable, defaultShuffleMemory } from "./shuffle-memory.js";
import { partitionTable } from "./partition-table.js";

/** Knobs beyond the contract's EngineOptions; defaults suit a laptop. */
export interface EngineTuning {
  /** Module exporting executeNode (default runtime/worker/execute); tests pass fixtures. */
  readonly executorModule?: string;
  /** V8 heap cap per worker in MB, so one runaway task cannot take the kernel down. Default 2048. */
  readonly heapLimitMb?: number;
  /** Attempts per task when its worker dies (default 4, like Spark's maxFailures). */
  readonly maxTaskAttempts?: number;
  /** Times a shuffle's map output may be recomputed after bad blocks (default 4). */
  readonly maxFetchFailures?: number;
  /** Coalesce small shuffle partitions between stages (default true). */
  readonly adaptive?: boolean;
  /** Target bytes per coalesced partition (default 8 MiB). */
  readonly advisoryPartitionBytes?: number;
  /** A join partition is split when larger than skewFactor x median (default 5) and skewMinBytes (default 32 MiB). */
  readonly skewFactor?: number;
  readonly skewMinBytes?: number;
  /** Root for per-job temp directories (default <os tmpdir>/kindling-<pid>). */
  readonly tmpRoot?: string;
  /**
   * Map tasks write every shuffle block to disk while the machine has less memory available than
   * this (default: 15% of it, at least 1 GiB); 0 turns the check off. See shuffle-memory.ts.
   */
  readonly minAvailableMemory?: number;
  /** Test hook: sees (and may damage) every stored map output; returning "lose" drops it, as if lost. */
  readonly onShuffleBlocks?: (exchangeNodeId: number, mapPartition: number, blocks: readonly ShuffleBlock[]) => void | "lose";
}

export interface Engine extends ExecutionEngine {
  /** The worker pool (diagnostics and tests). */
  readonly pool: WorkerPool;
  loadTable(batches: Iterable<Batch> | AsyncIterable<Batch>, schema: Schema, options: { partitions: number; partitioning?: DataPartitioning }): Promise<SourceRef & { kind: "memory" }>;
}

export function defaultEngineOptions(): EngineOptions {
  return { workers: Math.max(1, availableParallelism()), spill: true };
}

export function createEngine(options: EngineOptions = defaultEngineOptions(), tuning: EngineTuning = {}): Engine {
  const heapLimitMb = tuning.heapLimitMb ?? 2048;
  const pool = new WorkerPool({
    size: options.workers > 0 ? options.workers : availableParallelism(),
    ...(tuning.executorModule ? { executorModule: tuning.executorModule } : {}),
    maxOldGenerationSizeMb: heapLimitMb,
  });
  const store = new BlockStore();
  const shuffleMemory = new ShuffleMemory({
    limit: options.shuffleMemory ?? defaultShuffleMemory(),
    minAvailable: tuning.minAvailableMemory ?? defaultMinAvailable(),
    workers: pool.size,
  });
  const tmpRoot = tuning.tmpRoot ?? join(tmpdir(), `kindling-${process.pid}`);
  let nextJob = 1;
  let stopped = false;

  return {
    pool,
    registerTable(batches: readonly Batch[], schema: Schema, opts: { partitions: number; partitioning?: DataPartitioning }): SourceRef & { kind: "memory" } {
      // Low-cardinality strings become dictionary codes once, here, so every job groups and joins on ints.
      const encoded = dictionaryEncodeTable(batches);
      return store.addTable(partitionTable(encoded, schema, opts.partitions, opts.partitioning), schema, opts.partitioning).source;
    },
    async loadTable(batches: Iterable<Batch> | AsyncIterable<Batch>, schema: Schema, opts: { partitions: number; partitioning?: DataPartitioning }): Promise<SourceRef & { kind: "memory" }> {
      if (stopped) throw new Error("The engine was stopped; start a new session to load data.");
      // Each batch goes to shared memory as it arrives, so its source (a record batch read from a
      // file) can be dropped at once: the driver never holds a table twice. Batches already in
      // shared memory are kept as they are. One buffer per column: a string column replaced by codes
      // below is freed, not pinned by the numbers copied beside it.
      const shared: Batch[] = [];
      for await (const b of batches) if (b.length > 0) shared.push(toSharedByColumn(b));
      const partitions = partitionTable(shared, schema, opts.partitions, opts.partitioning);
      const columns = columnsWorthEncoding(partitions.flat());
      const encoded = columns.length === 0 ? partitions : await encodePartitionsInWorkers(pool, partitions, schema, columns, { tmpRoot, memoryBudget: options.memoryBudget, spill: options.spill });
      return store.addTable(encoded, schema, opts.partitioning).source;
    },
    async run(plan: PhysicalPlan, runOptions: RunOptions = {}): Promise<RunResult> {
      if (stopped) throw new Error("The engine was stopped; start a new session to run more jobs.");
      const job = new Job(nextJob++, plan, pool, store, {
        memoryBudget: options.memoryBudget,
        spill: options.spill,
        tmpRoot,
        maxTaskAttempts: tuning.maxTaskAttempts ?? 4,
        maxFetchFailures: tuning.maxFetchFailures ?? 4,
        adaptive: tuning.adaptive ?? true,
        advisoryPartitionBytes: tuning.advisoryPartitionBytes ?? 8 * 1024 * 1024,
        skewFactor: tuning.skewFactor ?? 5,
        skewMinBytes: tuning.skewMinBytes ?? 32 * 1024 * 1024,
        heapLimitMb,
        shuffleMemory,
        ...(tuning.onShuffleBlocks ? { onShuffleBlocks: tuning.onShuffleBlocks } : {}),
      }, runOptions);
      return job.run();
    },
    async dropCache(cacheId: string): Promise<void> {
      store.dropCache(cacheId);
    },
    cachedSource(cacheId: string): (SourceRef & { kind: "memory" }) | undefined {
      return store.cache(cacheId)?.source;
    },
    async stop(): Promise<void> {
      stopped = true;
      store.clear();
      await pool.close();
      // Jobs remove their own directories; the shared root goes only if nothing else uses it.
      await rmdir(tmpRoot).catch(() => undefined);
    },
  };
}
