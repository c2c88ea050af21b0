/**
 * The TaskContext a task's operators see inside a worker: inputs (tables, shuffle blocks,
 * broadcasts, caches) shipped with the task, a memory budget, a spill directory removed when the
 * task ends, per-operator metrics and the job's cancel flag.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Batch } from "../batch/column.js";
import type { SourceRef } from "../logical/plan.js";
import type { OperatorMetrics } from "../metrics/events.js";
import { Interrupted, ResourcesExhausted, ShuffleFetchFailed, formatBytes } from "../scheduler/errors.js";
import { checksumBatches } from "../shuffle/checksum.js";
import { readSpill } from "../batch/ops/spill-file.js";
import type { SpilledBlock, TaskSpec } from "./protocol.js";
import type { MemoryReservation, OperatorMetricsRecorder, TaskContext } from "./task-context.js";
import { rangeBatches } from "./range-source.js";

interface OperatorTally {
  nodeId: number;
  name: string;
  rowsIn: number;
  rowsOut: number;
  batchesOut: number;
  timeMs: number;
  spill: number;
}

export class WorkerTaskContext implements TaskContext {
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly numPartitions: number;
  readonly spillEnabled: boolean;
  /** Rows read from inputs (scans, shuffle, caches). */
  rowsIn = 0;
  shuffleReadBytes = 0;
  shuffleReadRecords = 0;
  private reservedTotal = 0;
  peakMemory = 0;
  private readonly operators = new Map<number, OperatorTally>();
  private spillPath: Promise<string> | undefined;

  constructor(private readonly task: TaskSpec) {
    this.stageId = task.stageId;
    this.partition = task.partition;
    this.attempt = task.attempt;
    this.numPartitions = task.numPartitions;
    this.spillEnabled = task.spill;
  }

  async *scan(source: SourceRef, partition: number): AsyncIterable<Batch> {
    if (source.kind === "range") {
      for (const b of rangeBatches(source, partition)) {
        this.checkCancelled();
        this.rowsIn += b.length;
        yield b;
      }
      return;
    }
    const table = this.task.tables[source.id];
    if (table === undefined) throw new Error(`Table ${source.id} was not shipped with stage ${this.stageId}'s tasks (scheduler bug; please report the query).`);
    for (const b of table[partition] ?? []) {
      this.checkCancelled();
      this.rowsIn += b.length;
      yield b;
    }
  }

  async *exchangeInput(exchangeNodeId: number): AsyncIterable<Batch> {
    const blocks = this.task.exchanges[exchangeNodeId];
    if (blocks === undefined) throw new Error(`Shuffle input of exchange ${exchangeNodeId} was not shipped with stage ${this.stageId} (scheduler bug; please report the query).`);
    // Verify every in-memory block before reading any, so a bad block fails fast and reruns its
    // producer; a spilled block is verified as it is read back, before any of its rows are used.
    for (const block of blocks) {
      if (block.file === undefined && checksumBatches(block.batches) !== block.checksum) throw new ShuffleFetchFailed(exchangeNodeId, block.mapPartition, "block checksum mismatch (corrupted)");
    }
    for (const block of blocks) {
      this.shuffleReadBytes += block.bytes;
      this.shuffleReadRecords += block.rows;
      const batches = block.file === undefined ? block.batches : await this.readSpilledBlock(exchangeNodeId, block.mapPartition, block.file, block.checksum);
      for (const b of batches) {
        this.checkCancelled();
        this.rowsIn += b.length;
        yield b;
      }
    }
  }

  /** A spilled block's batches, read back from its file range and checked against its checksum. */
  private async readSpilledBlock(exchangeNodeId: number, mapPartition: number, file: SpilledBlock, checksumWanted: number): Promise<Batch[]> {
    const { path, offset, length, dictionaries } = file;
    const batches: Batch[] = [];
    let checksum: number | undefined;
    try {
      for await (const b of readSpill(path, { offset, length, dictionaries, onChecksum: (c) => void (checksum = c) })) {
        this.checkCancelled();
        batches.push(b);
      }
    } catch (e) {
      if ((e as Error).name === "Interrupted") throw e;
      throw new ShuffleFetchFailed(exchangeNodeId, mapPartition, `spilled block unreadable (${(e as Error).message})`);
    }
    if (checksum !== checksumWanted) throw new ShuffleFetchFailed(exchangeNodeId, mapPartition, "spilled block checksum mismatch (corrupted)");
    return batches;
  }

  async broadcastInput(exchangeNodeId: number): Promise<readonly Batch[]> {
    const batches = this.task.broadcasts[exchangeNodeId];
    if (batches === undefined) throw new Error(`Broadcast ${exchangeNodeId} was not shipped with stage ${this.stageId} (scheduler bug; please report the query).`);
    return batches;
  }

  cached(cacheId: string, partition: number): AsyncIterable<Batch> | undefined {
    const cache = this.task.caches[cacheId];
    if (cache === undefined) return undefined;
    const batches = cache[partition] ?? [];
    const self = this;
    return (async function* () {
      for (const b of batches) {
        self.checkCancelled();
        self.rowsIn += b.length;
        yield b;
      }
    })();
  }

  reserve(operator: string): MemoryReservation {
    const ctx = this;
    const limit = this.task.memoryBudget;
    let reserved = 0;
    return {
      get reserved() {
        return reserved;
      },
      tryGrow(bytes: number): boolean {
        if (limit !== undefined && ctx.reservedTotal + bytes > limit) {
          if (ctx.spillEnabled) return false;
          throw new ResourcesExhausted(
            `ResourcesExhausted: stage ${ctx.stageId}, partition ${ctx.partition}: ${operator} needs ${formatBytes(ctx.reservedTotal + bytes)} but the memory budget per worker is ${formatBytes(limit)} and spilling is off. Enable spilling, raise the memory budget, or use more partitions.`,
          );
        }
        reserved += bytes;
        ctx.reservedTotal += bytes;
        ctx.peakMemory = Math.max(ctx.peakMemory, ctx.reservedTotal);
        return true;
      },
      shrink(bytes: number): void {
        const n = Math.min(bytes, reserved);
        reserved -= n;
        ctx.reservedTotal -= n;
      },
    };
  }

  spillDir(): Promise<string> {
    // One directory per task even when several operators ask at once.
    this.spillPath ??= mkdir(this.task.tmpRoot, { recursive: true }).then(() => mkdtemp(join(this.task.tmpRoot, `s${this.stageId}-p${this.partition}-a${this.attempt}-`)));
    return this.spillPath;
  }

  /** Removes the spill directory (called when the task ends, whatever the outcome). */
  async cleanup(): Promise<void> {
    const pending = this.spillPath;
    this.spillPath = undefined;
    if (pending !== undefined) {
      const dir = await pending.catch(() => undefined);
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    }
  }

  metrics(nodeId: number, name: string): OperatorMetricsRecorder {
    let t = this.operators.get(nodeId);
    if (t === undefined) {
      t = { nodeId, name, rowsIn: 0, rowsOut: 0, batchesOut: 0, timeMs: 0, spill: 0 };
      this.operators.set(nodeId, t);
    }
    const tally = t;
    return {
      addRowsIn: (n) => void (tally.rowsIn += n),
      addOutput: (b) => {
        tally.rowsOut += b.length;
        tally.batchesOut++;
      },
      addTime: (ms) => void (tally.timeMs += ms),
      addSpill: (bytes) => void (tally.spill += bytes),
    };
  }

  operatorMetrics(): OperatorMetrics[] {
    return [...this.operators.values()].map(({ spill: _spill, ...m }) => m);
  }

  spillBytes(): number {
    let n = 0;
    for (const t of this.operators.values()) n += t.spill;
    return n;
  }

  checkCancelled(): void {
    if (Atomics.load(this.task.cancelFlag, 0) !== 0) throw new Interrupted();
  }
}
