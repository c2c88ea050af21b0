/**
 * Registration's string work, off the driver: each partition of a table is dictionary-encoded in a
 * worker (one task per partition, in parallel over the pool), so the driver only decides which
 * columns to encode (a sample, columnsWorthEncoding) and routes partitions. The partitions already
 * live in shared memory, so a task reads its partition without a copy and returns shared batches
 * (codes and dictionary new; every other column the same arrays it was given).
 */
import type { Batch } from "../batch/column.js";
import type { Schema } from "../expr/types.js";
import type { PhysicalPlan } from "../physical/plan.js";
import type { WorkerPool } from "../worker/pool.js";
import type { TaskSpec } from "../worker/protocol.js";

export interface EncodeSettings {
  readonly tmpRoot: string;
  readonly memoryBudget: number | undefined;
  readonly spill: boolean;
}

/** Registration tasks count down from -1, apart from jobs' task ids (the pool matches replies by id). */
let nextTaskId = -1;
let nextTable = 1;
/** A worker that dies mid-encoding (heap limit) gets this many more tries before registration fails. */
const MAX_ATTEMPTS = 2;

export async function encodePartitionsInWorkers(
  pool: WorkerPool,
  partitions: readonly (readonly Batch[])[],
  schema: Schema,
  columns: readonly number[],
  settings: EncodeSettings,
): Promise<Batch[][]> {
  const table = `register-${nextTable++}`;
  const n = partitions.length;
  const fragment: PhysicalPlan = {
    kind: "ScanExec",
    id: 0,
    schema,
    outputPartitioning: { kind: "unknown", n },
    source: { kind: "memory", id: table, partitions: n, rows: 0, bytes: 0 },
    filters: [],
  };
  const names = columns.map((i) => schema.fields[i]?.name ?? `#${i}`).join(", ");
  const spec = (p: number, attempt: number, tables: TaskSpec["tables"]): TaskSpec => ({
    taskId: nextTaskId--,
    jobId: 0,
    stageId: 0,
    partition: p,
    attempt,
    numPartitions: n,
    fragment,
    output: { kind: "encodeStrings", table, columns },
    tables,
    exchanges: {},
    broadcasts: {},
    caches: {},
    memoryBudget: settings.memoryBudget,
    spill: settings.spill,
    cancelFlag: new Int32Array(new SharedArrayBuffer(4)),
    tmpRoot: settings.tmpRoot,
  });
  const encodeOne = async (p: number): Promise<Batch[]> => {
    if (partitions[p]!.length === 0) return [];
    // Only this task's partition travels (the others stay empty in the message).
    const tables = { [table]: partitions.map((part, q) => (q === p ? part : [])) };
    let reason = "";
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const outcome = await pool.submit(spec(p, attempt, tables));
      if (outcome.kind === "done" && outcome.result.kind === "collect") return [...outcome.result.batches];
      if (outcome.kind === "failed") throw new Error(`Registering a table: dictionary-encoding string columns ${names} of partition ${p} failed: ${outcome.error.message}`);
      if (outcome.kind === "cancelled") throw new Error("Registering a table was cancelled because the engine stopped; start a new session and load the data again.");
      reason = outcome.kind === "crashed" ? outcome.reason : "unexpected reply";
    }
    throw new Error(`Registering a table: the worker encoding string columns ${names} of partition ${p} died (${reason}). Load the data into more partitions or raise the engine's heap limit.`);
  };
  const encoded = await Promise.all(Array.from({ length: n }, (_, p) => encodeOne(p)));
  // A worker keeps the arrays of the last message it received until the next one arrives (measured:
  // a 50 MB string column stayed alive through gc() until the worker's next task). Here that would
  // pin every replaced string column, so each idle worker gets one empty task to let them go.
  await Promise.all(Array.from({ length: pool.size }, () => pool.submit(spec(0, 0, {}))));
  return encoded;
}
