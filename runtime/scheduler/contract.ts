/**
 * The contract between the API (runtime/api: Session, DataFrame actions) and the executor
 * (runtime/scheduler + worker + shuffle). The API plans; the engine runs physical plans on the
 * worker pool and reports progress as plain events (runtime/metrics) that views render.
 */
import type { Batch } from "../batch/column.js";
import type { Schema } from "../expr/types.js";
import type { DataPartitioning, SourceRef } from "../logical/plan.js";
import type { PhysicalPlan } from "../physical/plan.js";
import type { EngineEvent, JobMetrics } from "../metrics/events.js";

export interface EngineOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly workers: number;
  /** Per-worker memory budget in bytes before operators spill; undefined = unlimited. */
  readonly memoryBudget?: number;
  /** false: exceeding the budget fails with ResourcesExhausted instead of spilling. */
  readonly spill: boolean;
  /**
   * Bytes of shuffle blocks kept in shared memory at once, over all jobs; blocks past it are
   * written to disk and read back by the reduce side. Default: a quarter of the machine's memory.
   * Infinity never writes blocks to disk (unless the machine runs low on memory).
   */
  readonly shuffleMemory?: number;
}

export interface RunOptions {
  /** Aborting cancels the job: tasks stop, the promise rejects with an Interrupted error. */
  readonly signal?: AbortSignal;
  /** Progress and summary events, in order. */
  readonly onEvent?: (event: EngineEvent) => void;
  /** Shown in events and errors, e.g. "show at cell 3". */
  readonly description?: string;
  /**
   * The session's autoBroadcastThreshold (bytes) at the time of the action: a partitioned join whose
   * side's real shuffle output is under it switches to broadcast between stages. Absent or <= 0: never.
   */
  readonly autoBroadcastThreshold?: number;
}

export interface RunResult {
  readonly schema: Schema;
  /** The output partitions' batches, in partition order (ordered plans end in one partition). */
  readonly batches: readonly Batch[];
  readonly metrics: JobMetrics;
}

export interface ExecutionEngine {
  /** Stores batches split into `partitions` and returns the source a Scan can read. */
  registerTable(batches: readonly Batch[], schema: Schema, options: { partitions: number; partitioning?: DataPartitioning }): SourceRef & { kind: "memory" };
  /**
   * registerTable for large inputs: each batch is copied into shared memory as it arrives (the
   * caller's batches, e.g. views of a user's Arrow table, are never moved or changed, and a
   * streamed source can be dropped batch by batch), then string columns are dictionary-encoded
   * per partition in the workers. Optional: engines without it get registerTable.
   */
  loadTable?(batches: Iterable<Batch> | AsyncIterable<Batch>, schema: Schema, options: { partitions: number; partitioning?: DataPartitioning }): Promise<SourceRef & { kind: "memory" }>;
  run(plan: PhysicalPlan, options?: RunOptions): Promise<RunResult>;
  /** Frees the partitions stored by CacheExec under `cacheId` (unpersist). */
  dropCache(cacheId: string): Promise<void>;
  /** Source ref of a cache if it has been materialized (so the planner can use its stats/partitioning). */
  cachedSource(cacheId: string): (SourceRef & { kind: "memory" }) | undefined;
  stop(): Promise<void>;
}
