/**
 * Metrics as plain events: the engine emits them, the inline views (runtime/render) and the
 * kernel's progress display consume them, tests read them as data. No classes, no callbacks
 * inside: every event is JSON-serializable (numbers, strings, arrays).
 */

export interface TaskMetrics {
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly durationMs: number;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly batchesOut: number;
  readonly bytesOut: number;
  readonly shuffleWriteBytes: number;
  readonly shuffleWriteRecords: number;
  readonly shuffleReadBytes: number;
  readonly shuffleReadRecords: number;
  /** Bytes operators (sort, aggregate, join) wrote to disk past the memory budget. */
  readonly spillBytes: number;
  /** Bytes of this map task's shuffle blocks written to disk, past its share of shuffle memory. */
  readonly shuffleSpillBytes: number;
  readonly peakMemoryBytes: number;
  /** Rows/time per physical operator id in this task. */
  readonly operators: readonly OperatorMetrics[];
}

export interface OperatorMetrics {
  readonly nodeId: number;
  readonly name: string;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly batchesOut: number;
  readonly timeMs: number;
}

export interface StageMetrics {
  readonly stageId: number;
  /** Physical node ids that run in this stage. */
  readonly nodeIds: readonly number[];
  /** Ids of the stages whose output this stage reads. */
  readonly parents: readonly number[];
  readonly numTasks: number;
  readonly durationMs: number;
  readonly tasks: readonly TaskMetrics[];
  /** Bytes and records written per reduce partition (shuffle map stages), for skew views. */
  readonly shuffleWriteByPartition?: readonly { readonly bytes: number; readonly records: number }[];
  /** Adaptive decisions taken after this stage, in words ("coalesced 8 partitions into 2"). */
  readonly adaptive?: readonly string[];
}

export interface JobMetrics {
  readonly jobId: number;
  readonly description: string;
  readonly durationMs: number;
  readonly stages: readonly StageMetrics[];
}

export type EngineEvent =
  | { readonly type: "jobStart"; readonly jobId: number; readonly description: string; readonly stages: readonly { readonly stageId: number; readonly numTasks: number; readonly parents: readonly number[]; readonly nodeIds: readonly number[] }[] }
  | { readonly type: "stageStart"; readonly jobId: number; readonly stageId: number; readonly numTasks: number }
  | { readonly type: "taskEnd"; readonly jobId: number; readonly metrics: TaskMetrics }
  | { readonly type: "stageEnd"; readonly jobId: number; readonly metrics: StageMetrics }
  | { readonly type: "jobEnd"; readonly jobId: number; readonly metrics: JobMetrics; readonly error?: string };
