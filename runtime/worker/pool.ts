/**
 * A warm pool of worker threads, started once with the engine. One task at a time per worker;
 * task data moves by transfer (never structured clone of buffers) or lives in SharedArrayBuffer.
 *
 * Faults, seen from here:
 *  - a worker that dies mid-task (process.exit, abort, heap limit) is replaced and the task's
 *    outcome is "crashed" (the scheduler retries it, bounded);
 *  - a worker that fails before it is ready (bad entry module, missing executor) makes the pool
 *    "broken": every pending and future task fails at once with that one error, no respawn loop;
 *  - a cancelled task gets a short grace period to notice its cancel flag, then its worker is
 *    terminated and replaced, so nothing keeps running after a job is aborted.
 */
import type { Worker } from "node:worker_threads";
import type { TaskMetrics } from "../metrics/events.js";
import type { DriverToWorker, SerializedError, TaskResult, TaskSpec, WorkerToDriver } from "./protocol.js";
import { spawnWorker } from "./spawn.js";

export interface PoolOptions {
  readonly size: number;
  /** Worker entry module; default runtime/worker/entry (this folder). */
  readonly entry?: URL;
  /** Module exporting `executeNode`; default runtime/worker/execute. Tests pass fixtures. */
  readonly executorModule?: string;
  /** Per-worker V8 heap cap, so heap exhaustion kills only that worker. */
  readonly maxOldGenerationSizeMb?: number;
  /** How long a cancelled task may take to stop by itself before its worker is terminated. */
  readonly cancelGraceMs?: number;
}

export type TaskOutcome =
  | { readonly kind: "done"; readonly result: TaskResult; readonly metrics: TaskMetrics }
  | { readonly kind: "failed"; readonly error: SerializedError; readonly metrics?: TaskMetrics }
  | { readonly kind: "crashed"; readonly reason: string; readonly outOfMemory: boolean }
  | { readonly kind: "cancelled" };

/**
 * Called as a task starts on a worker and as it leaves it (done, failed, crashed or cancelled),
 * before the next queued task starts: what atStart hands out (a share of shuffle memory) belongs to
 * running tasks only, not to a queue of waiting ones, and is back before the next one asks.
 */
export interface TaskHooks {
  readonly atStart: (task: TaskSpec) => TaskSpec;
  readonly atEnd: (outcome: TaskOutcome) => void;
}

interface Pending {
  task: TaskSpec;
  readonly hooks: TaskHooks | undefined;
  readonly transfer: readonly ArrayBuffer[];
  readonly signal: AbortSignal | undefined;
  readonly resolve: (o: TaskOutcome) => void;
  /** Takes the task out of the queue if the job is cancelled first; removed once it leaves the queue. */
  onQueuedAbort?: () => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  running: (Pending & { onAbort?: () => void }) | undefined;
  exited: boolean;
}

export class PoolStartupError extends Error {
  override readonly name = "PoolStartupError";
}

export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private brokenError: PoolStartupError | undefined;
  private closed = false;
  private readonly readyPromise: Promise<void>;
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;
  private spawned = 0;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size));
    this.readyPromise = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.readyPromise.catch(() => undefined); // observed through ready() / submit()
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  /** Resolves when every worker has started; rejects with one PoolStartupError if any could not. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Workers alive right now (for tests and diagnostics). */
  get liveWorkers(): number {
    return this.slots.filter((s) => !s.exited).length;
  }

  /** Threads started over the pool's life (initial + replacements). */
  get workersSpawned(): number {
    return this.spawned;
  }

  get busyWorkers(): number {
    return this.slots.filter((s) => s.running !== undefined).length;
  }

  submit(task: TaskSpec, transfer: readonly ArrayBuffer[] = [], signal?: AbortSignal, hooks?: TaskHooks): Promise<TaskOutcome> {
    return new Promise((resolve) => {
      if (this.brokenError) return resolve({ kind: "failed", error: serialize(this.brokenError) });
      if (this.closed) return resolve({ kind: "failed", error: { name: "Error", message: "The engine was stopped; create a new session to run more jobs." } });
      if (signal?.aborted) return resolve({ kind: "cancelled" });
      const pending: Pending = { task, hooks, transfer, signal, resolve };
      if (signal) {
        pending.onQueuedAbort = () => {
          const i = this.queue.indexOf(pending);
          if (i >= 0) {
            this.queue.splice(i, 1);
            resolve({ kind: "cancelled" });
          }
        };
        signal.addEventListener("abort", pending.onQueuedAbort, { once: true });
      }
      this.queue.push(pending);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve({ kind: "cancelled" });
    await Promise.all(
      this.slots.map(async (s) => {
        s.exited = true;
        if (s.running) this.finish(s, { kind: "cancelled" });
        await s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    this.spawned++;
    const worker = spawnWorker(this.options.entry ?? defaultEntry(), {
      name: `kindling-worker-${this.spawned}`,
      workerData: { executorModule: this.options.executorModule },
      resourceLimits: this.options.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb } : undefined,
    });
    const slot: Slot = { worker, ready: false, running: undefined, exited: false };
    worker.on("message", (m: WorkerToDriver) => this.onMessage(slot, m));
    // A reply that cannot be deserialized: the task's output is unusable, its worker is suspect.
    worker.on("messageerror", (e: Error) => {
      if (slot.running) this.finish(slot, { kind: "failed", error: { name: "Error", message: `A task's reply could not be read (${e.message}); this is an engine bug, please report the query.` } });
      this.dispatch();
    });
    worker.on("error", (e: Error & { code?: string }) => this.onDeath(slot, e.message, e.code === "ERR_WORKER_OUT_OF_MEMORY"));
    worker.on("exit", (code) => this.onDeath(slot, `worker exited with code ${code}`, false));
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerToDriver): void {
    if (m.type === "ready") {
      slot.ready = true;
      if (this.slots.every((s) => s.ready || s.exited)) this.readyResolve();
      this.dispatch();
      return;
    }
    const running = slot.running;
    if (!running || running.task.taskId !== m.taskId) return; // a reply after cancellation
    if (m.type === "done") this.finish(slot, { kind: "done", result: m.result, metrics: m.metrics });
    else this.finish(slot, { kind: "failed", error: m.error, metrics: m.metrics });
    this.dispatch();
  }

  private onDeath(slot: Slot, reason: string, outOfMemory: boolean): void {
    if (slot.exited) return;
    slot.exited = true;
    if (this.closed) return;
    if (!slot.ready) {
      // Failing before "ready" is a broken setup (bad module), not bad luck: stop, do not respawn.
      this.brokenError = new PoolStartupError(`The engine's worker threads could not start: ${reason}. Check the worker entry and executor modules (a build or install problem), then restart the session.`);
      this.readyReject(this.brokenError);
      if (slot.running) this.finish(slot, { kind: "failed", error: serialize(this.brokenError) });
      for (const p of this.queue.splice(0)) p.resolve({ kind: "failed", error: serialize(this.brokenError) });
      for (const s of this.slots) if (s.running && !s.ready) this.finish(s, { kind: "failed", error: serialize(this.brokenError) });
      return;
    }
    if (slot.running) this.finish(slot, { kind: "crashed", reason, outOfMemory });
    this.replace(slot);
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed && !this.brokenError) this.slots[i] = this.spawn();
  }

  private finish(slot: Slot, outcome: TaskOutcome): void {
    const running = slot.running;
    if (!running) return;
    slot.running = undefined;
    if (running.onAbort) running.signal?.removeEventListener("abort", running.onAbort);
    running.hooks?.atEnd(outcome);
    running.resolve(outcome);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.exited || slot.running) continue;
      const next = this.queue.shift()!;
      // The job's signal lives as long as the job: a listener left on it would keep this task's
      // inputs (every shuffle block and table partition it reads) alive until the job ends.
      if (next.onQueuedAbort) next.signal?.removeEventListener("abort", next.onQueuedAbort);
      next.onQueuedAbort = undefined;
      if (next.hooks) next.task = next.hooks.atStart(next.task);
      const running: Pending & { onAbort?: () => void } = next;
      slot.running = running;
      if (next.signal) {
        running.onAbort = () => this.cancelRunning(slot, running);
        next.signal.addEventListener("abort", running.onAbort, { once: true });
      }
      const message: DriverToWorker = { type: "task", task: next.task };
      slot.worker.postMessage(message, next.transfer as ArrayBuffer[]);
    }
  }

  /** The job was aborted while this task ran: give it a grace period, then terminate the thread. */
  private cancelRunning(slot: Slot, running: Pending): void {
    Atomics.store(running.task.cancelFlag, 0, 1);
    const timer = setTimeout(() => {
      if (slot.running !== running) return;
      this.finish(slot, { kind: "cancelled" });
      slot.exited = true;
      void slot.worker.terminate();
      // Starting a thread costs the driver a few ms: let the job see its cancellation first.
      setImmediate(() => this.replace(slot));
    }, this.options.cancelGraceMs ?? 25);
    timer.unref();
  }
}

function defaultEntry(): URL {
  const self = new URL(import.meta.url);
  return new URL(self.pathname.endsWith(".ts") ? "./entry.ts" : "./entry.js", self);
}

export function serialize(e: unknown): SerializedError {
  if (e instanceof Error) {
    const sampleRow = (e as { sampleRow?: unknown }).sampleRow;
    return { name: e.name, message: e.message, stack: e.stack, ...(typeof sampleRow === "string" ? { sampleRow } : {}) };
  }
  return { name: "Error", message: String(e) };
}
