/**
 * What a task sees while it runs one partition of a stage fragment inside a worker thread.
 * The scheduler/worker side (runtime/scheduler, runtime/shuffle, runtime/worker/entry) provides it;
 * the operators (runtime/worker/operators) consume it. Operators never talk to other threads
 * directly: inputs arrive through this context, outputs are returned as batch streams.
 */
import type { Batch } from "../batch/column.js";
import type { SourceRef } from "../logical/plan.js";

export interface OperatorMetricsRecorder {
  addRowsIn(n: number): void;
  addOutput(batch: Batch): void;
  addTime(ms: number): void;
  addSpill(bytes: number): void;
}

/** Tracks bytes an operator holds (hash tables, sort buffers) against the worker's budget. */
export interface MemoryReservation {
  /** Tries to grow the reservation; false = over budget (spill, or fail if spilling is off). */
  tryGrow(bytes: number): boolean;
  shrink(bytes: number): void;
  readonly reserved: number;
}

export interface TaskContext {
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  /** Number of partitions (tasks) of this stage. */
  readonly numPartitions: number;
  /** Batches of one partition of an in-memory or range source (ScanExec). */
  scan(source: SourceRef, partition: number): AsyncIterable<Batch>;
  /** Reduce side of a ShuffleExchangeExec (by its node id): this task's partition of the exchange output. */
  exchangeInput(exchangeNodeId: number): AsyncIterable<Batch>;
  /** The whole (read-only, shared) output of a BroadcastExchangeExec. */
  broadcastInput(exchangeNodeId: number): Promise<readonly Batch[]>;
  /** Partitions cached by a CacheExec, if materialized. */
  cached(cacheId: string, partition: number): AsyncIterable<Batch> | undefined;
  reserve(operator: string): MemoryReservation;
  /** false: exceeding the budget throws ResourcesExhausted (names stage, partition, limit). */
  readonly spillEnabled: boolean;
  /** A per-task directory for spill files, removed when the task ends. */
  spillDir(): Promise<string>;
  metrics(nodeId: number, name: string): OperatorMetricsRecorder;
  /** Throws Interrupted if the job was cancelled; operators call it between batches. */
  checkCancelled(): void;
}
