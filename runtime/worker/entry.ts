/**
 * Worker thread entry. Loads the operator executor once (so a broken build fails at startup, not
 * mid-job), says "ready", then runs one task at a time: build a TaskContext, run the stage
 * fragment, and either return the batches or split them into shuffle blocks; report metrics.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Batch } from "../batch/column.js";
import { batchBytes, toShared, transferList } from "../batch/buffers.js";
import { encodeColumns } from "../batch/dictionary.js";
import { concatBatches, takeRows } from "../batch/gather.js";
import type { TaskMetrics } from "../metrics/events.js";
import type { PhysicalPlan } from "../physical/plan.js";
import { ShuffleWriter } from "../shuffle/partitioner.js";
import { keyEvaluator, type ExprCompiler } from "../shuffle/keys.js";
import { compileExpr } from "../expr/kernels/compile.js";
import type { TaskContext } from "./task-context.js";
import { WorkerTaskContext } from "./context.js";
import type { DriverToWorker, SerializedError, TaskResult, TaskSpec, WorkerToDriver } from "./protocol.js";

/** Partitioning keys that are expressions (not plain columns) go through the expression compiler. */
const compileKey: ExprCompiler = (expr, schema) => {
  const compiled = compileExpr(expr, schema);
  return (batch) => compiled.evaluate(batch);
};

type ExecuteNode = (node: PhysicalPlan, ctx: TaskContext) => AsyncIterable<Batch>;

const port = parentPort;
if (port === null) throw new Error("runtime/worker/entry must run inside a worker thread");

const executorModule = (workerData as { executorModule?: string } | undefined)?.executorModule ?? new URL("./execute.js", import.meta.url).href;
const loaded = (await import(executorModule)) as { executeNode?: unknown };
if (typeof loaded.executeNode !== "function") throw new Error(`${executorModule} does not export executeNode(node, ctx)`);
const executeNode = loaded.executeNode as ExecuteNode;

function serializeError(e: unknown, task: TaskSpec): SerializedError {
  if (e instanceof Error) {
    const extra = e as Error & { sampleRow?: unknown; exchangeNodeId?: unknown; mapPartition?: unknown };
    return {
      name: e.name,
      message: e.message,
      ...(e.stack !== undefined ? { stack: e.stack } : {}),
      ...(typeof extra.sampleRow === "string" ? { sampleRow: extra.sampleRow } : {}),
      ...(typeof extra.exchangeNodeId === "number" ? { fetchFailed: { exchangeNodeId: extra.exchangeNodeId, mapPartition: Number(extra.mapPartition) } } : {}),
    };
  }
  return { name: "Error", message: `stage ${task.stageId} partition ${task.partition} threw a non-Error value: ${String(e)}` };
}

/** Rows spread evenly over the output, as a batch of the sort-key columns (range shuffle bounds). */
function sampleKeys(task: TaskSpec & { output: { kind: "sample" } }, batches: readonly Batch[]): Batch | undefined {
  const all = batches.filter((b) => b.length > 0);
  if (all.length === 0) return undefined;
  const total = all.reduce((s, b) => s + b.length, 0);
  const n = Math.min(task.output.sampleSize, total);
  const evaluate = keyEvaluator(
    task.output.partitioning.order.map((o) => o.expr),
    all[0]!.schema,
    compileKey,
  );
  // Evenly spaced rows over the whole output, gathered batch by batch (no copy of the output).
  const pieces: Batch[] = [];
  let next = 0;
  let base = 0;
  for (const b of all) {
    const picks: number[] = [];
    for (; next < n; next++) {
      const row = Math.floor(((next + 0.5) * total) / n);
      if (row >= base + b.length) break;
      picks.push(row - base);
    }
    if (picks.length > 0) {
      const keys = evaluate(b);
      const keyBatch: Batch = { schema: { fields: keys.map((c, i) => ({ name: `k${i}`, type: c.type, nullable: true })) }, length: b.length, columns: keys };
      pieces.push(takeRows(keyBatch, Uint32Array.from(picks)));
    }
    base += b.length;
  }
  return pieces.length === 0 ? undefined : concatBatches(pieces);
}

async function runTask(task: TaskSpec): Promise<void> {
  const started = performance.now();
  const ctx = new WorkerTaskContext(task);
  let rowsOut = 0;
  let batchesOut = 0;
  let bytesOut = 0;
  let shuffleWriteBytes = 0;
  let shuffleWriteRecords = 0;
  let shuffleSpillBytes = 0;
  const metrics = (): TaskMetrics => ({
    stageId: task.stageId,
    partition: task.partition,
    attempt: task.attempt,
    durationMs: performance.now() - started,
    rowsIn: ctx.rowsIn,
    rowsOut,
    batchesOut,
    bytesOut,
    shuffleWriteBytes,
    shuffleWriteRecords,
    shuffleReadBytes: ctx.shuffleReadBytes,
    shuffleReadRecords: ctx.shuffleReadRecords,
    spillBytes: ctx.spillBytes(),
    shuffleSpillBytes,
    peakMemoryBytes: ctx.peakMemory,
    operators: ctx.operatorMetrics(),
  });
  try {
    let result: TaskResult;
    const output = task.output;
    if (output.kind === "encodeStrings") {
      const input = task.tables[output.table]?.[task.partition] ?? [];
      const batches = encodeColumns(input, output.columns).map(toShared);
      for (const b of batches) {
        rowsOut += b.length;
        bytesOut += batchBytes(b);
      }
      batchesOut = batches.length;
      result = { kind: "collect", batches };
    } else if (output.kind === "shuffle") {
      const writer = new ShuffleWriter(output.partitioning, task.fragment.schema, task.partition, output.bounds, compileKey);
      for await (const b of executeNode(task.fragment, ctx)) {
        ctx.checkCancelled();
        writer.write(b);
        rowsOut += b.length;
        batchesOut++;
      }
      const blocks = await writer.finish(task.partition, task.shuffleSpill);
      shuffleSpillBytes = writer.spilledBytes;
      for (const b of blocks) {
        shuffleWriteBytes += b.bytes;
        shuffleWriteRecords += b.rows;
      }
      bytesOut = shuffleWriteBytes;
      result = { kind: "shuffle", blocks };
    } else {
      const shared = output.kind === "sample" || output.shared;
      const batches: Batch[] = [];
      for await (const b of executeNode(task.fragment, ctx)) {
        ctx.checkCancelled();
        if (b.length === 0) continue;
        rowsOut += b.length;
        batchesOut++;
        bytesOut += batchBytes(b);
        batches.push(shared ? toShared(b) : b);
      }
      result = output.kind === "sample" ? { kind: "sample", batches, sample: sampleKeys({ ...task, output }, batches) } : { kind: "collect", batches };
    }
    await ctx.cleanup();
    const reply: WorkerToDriver = { type: "done", taskId: task.taskId, result, metrics: metrics() };
    port!.postMessage(reply, result.kind === "collect" ? transferList(result.batches) : []);
  } catch (e) {
    await ctx.cleanup().catch(() => undefined);
    const reply: WorkerToDriver = { type: "failed", taskId: task.taskId, error: serializeError(e, task), metrics: metrics() };
    port!.postMessage(reply);
  }
}

/**
 * Shared memory (table partitions, shuffle blocks) is freed only once every thread that saw it has
 * collected its references, and an idle worker does not collect at all: the inputs of its last
 * task would stay alive until its next one. So a worker left idle for a moment collects once, when
 * the process exposes gc (the benchmarks run with --expose-gc; the kernel does not, so there V8
 * collects on its own schedule). Defined at module level so
 * the timer's closure holds nothing of the task.
 */
const IDLE_COLLECT_MS = 100;
let idleCollect: NodeJS.Timeout | undefined;
function collectWhenIdle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return;
  clearTimeout(idleCollect);
  idleCollect = setTimeout(gc, IDLE_COLLECT_MS);
  idleCollect.unref();
}

// One task at a time per worker: the pool never sends a second before the first replies.
port.on("message", (m: DriverToWorker) => {
  if (m.type !== "task") return;
  clearTimeout(idleCollect);
  void runTask(m.task).then(collectWhenIdle);
});
port.postMessage({ type: "ready" } satisfies WorkerToDriver);
