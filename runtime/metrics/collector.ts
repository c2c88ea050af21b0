/**
 * Collects one job's metrics and emits its EngineEvents in order: jobStart, then per stage
 * stageStart, taskEnd..., stageEnd (stages that run concurrently interleave), then jobEnd.
 * A listener that throws does not break the job: views are observers, not participants.
 */
import type { EngineEvent, JobMetrics, StageMetrics, TaskMetrics } from "./events.js";

interface StageState {
  readonly stageId: number;
  readonly nodeIds: readonly number[];
  readonly parents: readonly number[];
  numTasks: number;
  started: number;
  readonly tasks: TaskMetrics[];
  shuffleWriteByPartition?: { bytes: number; records: number }[];
  readonly adaptive: string[];
  ended?: StageMetrics;
}

export class JobMetricsCollector {
  private readonly started = performance.now();
  private readonly stages = new Map<number, StageState>();
  private ended: JobMetrics | undefined;

  constructor(
    readonly jobId: number,
    readonly description: string,
    private readonly onEvent: ((e: EngineEvent) => void) | undefined,
  ) {}

  private emit(e: EngineEvent): void {
    try {
      this.onEvent?.(e);
    } catch {
      // A broken progress view must not fail the job.
    }
  }

  jobStart(stages: readonly { stageId: number; numTasks: number; parents: readonly number[]; nodeIds: readonly number[] }[]): void {
    for (const s of stages) this.stages.set(s.stageId, { ...s, started: 0, tasks: [], adaptive: [] });
    this.emit({ type: "jobStart", jobId: this.jobId, description: this.description, stages: stages.map((s) => ({ ...s, parents: [...s.parents], nodeIds: [...s.nodeIds] })) });
  }

  stageStart(stageId: number, numTasks: number): void {
    const s = this.stage(stageId);
    s.numTasks = numTasks;
    s.started = performance.now();
    this.emit({ type: "stageStart", jobId: this.jobId, stageId, numTasks });
  }

  taskEnd(metrics: TaskMetrics): void {
    this.stage(metrics.stageId).tasks.push(metrics);
    this.emit({ type: "taskEnd", jobId: this.jobId, metrics });
  }

  /** Adds one map task's written blocks to the stage's per-reduce-partition totals. */
  shuffleWrite(stageId: number, perReduce: readonly { bytes: number; rows: number }[]): void {
    const s = this.stage(stageId);
    s.shuffleWriteByPartition ??= perReduce.map(() => ({ bytes: 0, records: 0 }));
    perReduce.forEach((b, r) => {
      const t = s.shuffleWriteByPartition![r]!;
      t.bytes += b.bytes;
      t.records += b.rows;
    });
  }

  /** Replaces a rerun map task's contribution: subtract the lost blocks first. */
  shuffleUnwrite(stageId: number, perReduce: readonly { bytes: number; rows: number }[]): void {
    this.shuffleWrite(stageId, perReduce.map((b) => ({ bytes: -b.bytes, rows: -b.rows })));
  }

  adaptive(stageId: number, decision: string): void {
    this.stage(stageId).adaptive.push(decision);
  }

  stageEnd(stageId: number): StageMetrics {
    const s = this.stage(stageId);
    const metrics = this.stageMetrics(s);
    s.ended = metrics;
    this.emit({ type: "stageEnd", jobId: this.jobId, metrics });
    return metrics;
  }

  private stageMetrics(s: StageState): StageMetrics {
    return {
      stageId: s.stageId,
      nodeIds: s.nodeIds,
      parents: s.parents,
      numTasks: s.numTasks,
      // Tasks rerun after the stage ended (a map task recomputed for a lost block) still count.
      durationMs: s.ended?.durationMs ?? performance.now() - s.started,
      tasks: [...s.tasks],
      ...(s.shuffleWriteByPartition ? { shuffleWriteByPartition: s.shuffleWriteByPartition.map((p) => ({ ...p })) } : {}),
      ...(s.adaptive.length > 0 ? { adaptive: [...s.adaptive] } : {}),
    };
  }

  /** Stage metrics so far (stages that did not end report what they have). */
  snapshot(): JobMetrics {
    const stages = [...this.stages.values()].filter((s) => s.ended !== undefined || s.tasks.length > 0).map((s) => this.stageMetrics(s));
    return { jobId: this.jobId, description: this.description, durationMs: performance.now() - this.started, stages };
  }

  jobEnd(error?: string): JobMetrics {
    if (this.ended) return this.ended;
    this.ended = this.snapshot();
    this.emit({ type: "jobEnd", jobId: this.jobId, metrics: this.ended, ...(error !== undefined ? { error } : {}) });
    return this.ended;
  }

  private stage(id: number): StageState {
    const s = this.stages.get(id);
    if (s === undefined) throw new Error(`metrics for unknown stage ${id}`);
    return s;
  }
}
