/**
 * Messages between the engine's driver and its worker threads. Plain data: batches travel with
 * their ArrayBuffers in the transfer list, read-many data (tables, shuffle blocks, broadcasts,
 * caches) as SharedArrayBuffer views that every worker reads without copying.
 */
import type { Batch, Column } from "../batch/column.js";
import type { TaskMetrics } from "../metrics/events.js";
import type { Partitioning, PhysicalPlan } from "../physical/plan.js";

/** What a task does with the batches its fragment produces. */
export type TaskOutput =
  /** Return them to the driver (final stage, broadcast and cache producers). */
  | { readonly kind: "collect"; readonly shared: boolean }
  /** Split them into `partitioning`'s reduce partitions (shuffle map side), as shared blocks. */
  | { readonly kind: "shuffle"; readonly partitioning: Partitioning; readonly bounds?: Batch }
  /** Range shuffle, first pass: return the output whole (shared) plus a sample of the sort keys. */
  | { readonly kind: "sample"; readonly partitioning: Partitioning & { kind: "range" }; readonly sampleSize: number }
  /**
   * Table registration: dictionary-encode `columns` (indexes) of partition `partition` of memory
   * table `table` (in `tables`), one dictionary per column for the partition; the fragment is not
   * run. Replies "collect" with the partition's batches, every array in shared memory.
   */
  | { readonly kind: "encodeStrings"; readonly table: string; readonly columns: readonly number[] };

export interface TaskSpec {
  readonly taskId: number;
  readonly jobId: number;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly numPartitions: number;
  readonly fragment: PhysicalPlan;
  readonly output: TaskOutput;
  /** Memory tables by source id: every partition (shared, so no copy whatever the count). */
  readonly tables: Readonly<Record<string, readonly (readonly Batch[])[]>>;
  /** Reduce-side blocks of each ShuffleExchangeExec this fragment reads, by node id. */
  readonly exchanges: Readonly<Record<number, readonly ShuffleBlock[]>>;
  readonly broadcasts: Readonly<Record<number, readonly Batch[]>>;
  /** Materialized caches by cache id: every partition. */
  readonly caches: Readonly<Record<string, readonly (readonly Batch[])[]>>;
  readonly memoryBudget: number | undefined;
  readonly spill: boolean;
  /** Int32Array over a SharedArrayBuffer; non-zero = the job was cancelled. */
  readonly cancelFlag: Int32Array;
  readonly tmpRoot: string;
  /**
   * Map tasks: the bytes of blocks this task may keep in shared memory (the driver's grant) and
   * the file the rest goes to. Absent: every block stays in memory.
   */
  readonly shuffleSpill?: ShuffleSpill;
}

export interface ShuffleSpill {
  readonly memoryQuota: number;
  readonly path: string;
}

/** One map task's output for one reduce partition. */
export interface ShuffleBlock {
  readonly mapPartition: number;
  /** The block's batches in shared memory; empty when the block was spilled to `file`. */
  readonly batches: readonly Batch[];
  readonly rows: number;
  /** Bytes of the batches' arrays (in memory, or once read back from the file). */
  readonly bytes: number;
  /**
   * checksumBatches(batches) at write time, or the checksum of the file range's bytes for a
   * spilled block; verified before the reduce side reads the block.
   */
  readonly checksum: number;
  readonly file?: SpilledBlock;
}

/** Where a spilled block's batches are: a range of a map task's spill file (runtime/batch/ops/spill-file.ts). */
export interface SpilledBlock {
  readonly path: string;
  readonly offset: number;
  readonly length: number;
  /** Shared-memory dictionaries the range refers to by index instead of holding a copy. */
  readonly dictionaries: readonly Column[];
}

export type TaskResult =
  | { readonly kind: "collect"; readonly batches: readonly Batch[] }
  | { readonly kind: "shuffle"; readonly blocks: readonly ShuffleBlock[] }
  | { readonly kind: "sample"; readonly batches: readonly Batch[]; readonly sample: Batch | undefined };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly sampleRow?: string;
  /** Set when a shuffle block could not be read: the scheduler reruns that map task. */
  readonly fetchFailed?: { readonly exchangeNodeId: number; readonly mapPartition: number };
}

export type DriverToWorker = { readonly type: "task"; readonly task: TaskSpec };

export type WorkerToDriver =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly taskId: number; readonly result: TaskResult; readonly metrics: TaskMetrics }
  | { readonly type: "failed"; readonly taskId: number; readonly error: SerializedError; readonly metrics?: TaskMetrics };
