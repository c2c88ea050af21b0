import { describe, expect, it } from "vitest";
import { JobMetricsCollector } from "../../../runtime/metrics/collector.js";
import type { EngineEvent, TaskMetrics } from "../../../runtime/metrics/events.js";

const task = (stageId: number, partition: number, attempt = 0): TaskMetrics => ({
  stageId, partition, attempt, durationMs: 1, rowsIn: 10, rowsOut: 5, batchesOut: 1, bytesOut: 40,
  shuffleWriteBytes: 40, shuffleWriteRecords: 5, shuffleReadBytes: 0, shuffleReadRecords: 0, spillBytes: 0, shuffleSpillBytes: 0, peakMemoryBytes: 0, operators: [],
});

describe("JobMetricsCollector", () => {
  it("emits plain, JSON-serializable events in order and keeps a rerun map task in the stage's metrics", () => {
    const events: EngineEvent[] = [];
    const c = new JobMetricsCollector(7, "count at cell 2", (e) => events.push(e));
    c.jobStart([{ stageId: 0, numTasks: 2, parents: [], nodeIds: [1, 2] }, { stageId: 1, numTasks: 1, parents: [0], nodeIds: [3] }]);
    c.stageStart(0, 2);
    c.taskEnd(task(0, 0));
    c.shuffleWrite(0, [{ bytes: 30, rows: 3 }, { bytes: 10, rows: 2 }]);
    c.taskEnd(task(0, 1));
    c.shuffleWrite(0, [{ bytes: 20, rows: 1 }, { bytes: 20, rows: 4 }]);
    c.stageEnd(0);
    c.stageStart(1, 1);
    // Map task 1 is recomputed after a bad block: its old output is replaced, not added.
    c.shuffleUnwrite(0, [{ bytes: 20, rows: 1 }, { bytes: 20, rows: 4 }]);
    c.taskEnd(task(0, 1, 1));
    c.shuffleWrite(0, [{ bytes: 20, rows: 1 }, { bytes: 20, rows: 4 }]);
    c.taskEnd(task(1, 0));
    c.adaptive(1, "coalesced 2 shuffle partitions into 1");
    c.stageEnd(1);
    const job = c.jobEnd();
    expect(events.map((e) => e.type)).toEqual(["jobStart", "stageStart", "taskEnd", "taskEnd", "stageEnd", "stageStart", "taskEnd", "taskEnd", "stageEnd", "jobEnd"]);
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    const map = job.stages.find((s) => s.stageId === 0)!;
    expect(map.tasks.map((t) => [t.partition, t.attempt])).toEqual([[0, 0], [1, 0], [1, 1]]);
    expect(map.shuffleWriteByPartition).toEqual([{ bytes: 50, records: 4 }, { bytes: 30, records: 6 }]);
    expect(job.stages.find((s) => s.stageId === 1)!.adaptive).toEqual(["coalesced 2 shuffle partitions into 1"]);
    expect(job).toMatchObject({ jobId: 7, description: "count at cell 2" });
  });

  it("keeps going when a listener throws, and reports the error on jobEnd", () => {
    const seen: string[] = [];
    const c = new JobMetricsCollector(1, "x", (e) => {
      seen.push(e.type);
      throw new Error("broken view");
    });
    c.jobStart([{ stageId: 0, numTasks: 1, parents: [], nodeIds: [1] }]);
    c.stageStart(0, 1);
    c.taskEnd(task(0, 0));
    c.jobEnd("UserError: boom");
    expect(seen).toEqual(["jobStart", "stageStart", "taskEnd", "jobEnd"]);
  });
});
