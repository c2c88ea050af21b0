/**
 * The main thread's handle on the exec worker: runs compiled cells, routes the worker's outputs to
 * a sink (the server decides which request they belong to), and interrupts: first politely (a cancel
 * message aborts awaits and the runtime's jobs), then, if the worker does not answer within a few
 * ms because its JavaScript spins, with the inspector's terminateExecution. If the worker dies
 * (process.exit in a cell, out of memory) a fresh one starts and the cell reports that state was lost.
 */
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { WorkerTerminator } from "./terminator.js";
import type { CellFailure, FromWorker, MimeBundle, RunResult, ToWorker, UserExpressionResult } from "./worker-protocol.js";

export interface OutputSink {
  stream(name: "stdout" | "stderr", text: string): void;
  display(bundle: MimeBundle, displayId: string | undefined, update: boolean): void;
  clear(wait: boolean): void;
  input(prompt: string, password: boolean): Promise<string>;
  uncaught(failure: CellFailure, origin: "exception" | "rejection"): void;
}

const WORKER_URL = new URL("./exec-worker.js", import.meta.url);
/** How long a cancel message may take before we assume the worker's JavaScript is spinning. */
const POLITE_CANCEL_MS = 30;

export const INTERRUPTED: CellFailure = {
  ename: "Interrupted",
  evalue: "The cell was interrupted; variables from earlier cells are kept.",
  stack: "Interrupted: The cell was interrupted; variables from earlier cells are kept.",
};

interface PendingRun {
  runId: number;
  resolve: (result: RunResult) => void;
}

export class ExecSession {
  private worker!: Worker;
  private ready!: Promise<void>;
  private readonly terminator = new WorkerTerminator();
  private nextRunId = 1;
  private current: PendingRun | undefined;
  private readonly evaluations = new Map<number, (results: Record<string, UserExpressionResult>) => void>();
  private closing = false;
  private nextPingId = 1;
  private readonly pings = new Map<number, () => void>();

  constructor(private readonly cwd: string, private readonly sink: OutputSink) {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(fileURLToPath(WORKER_URL), { workerData: { cwd: this.cwd }, stdout: false, stderr: false });
    const worker = this.worker;
    this.ready = new Promise<void>((resolve) => {
      const onReady = (message: FromWorker): void => {
        if (message.kind !== "ready") return;
        worker.off("message", onReady);
        resolve();
      };
      worker.on("message", onReady);
    }).then(() => this.terminator.watchWorkers());
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    worker.on("error", (error) => this.sink.stream("stderr", `Exec worker error: ${error.stack ?? error.message}\n`));
    worker.on("exit", (code) => this.onExit(worker, code));
  }

  /** Resolves once the worker has started and the inspector can reach it. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  async run(js: string, filename: string): Promise<RunResult> {
    await this.ready;
    const runId = this.nextRunId++;
    return new Promise<RunResult>((resolve) => {
      this.current = { runId, resolve };
      this.post({ kind: "run", runId, js, filename });
    });
  }

  async evaluate(expressions: Record<string, string>): Promise<Record<string, UserExpressionResult>> {
    if (Object.keys(expressions).length === 0) return {};
    await this.ready;
    const runId = this.nextRunId++;
    return new Promise((resolve) => {
      this.evaluations.set(runId, resolve);
      this.post({ kind: "evaluate", runId, expressions });
    });
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Stops the running cell (if any); resolves when that cell has ended. */
  async interrupt(): Promise<void> {
    const run = this.current;
    this.post({ kind: "cancel" });
    if (!run) return;
    const ended = new Promise<void>((resolve) => {
      const original = run.resolve;
      run.resolve = (result) => {
        original(result);
        resolve();
      };
    });
    const answered = await Promise.race([ended.then(() => true), delay(POLITE_CANCEL_MS).then(() => false)]);
    if (answered) return;
    // The worker's JavaScript is spinning and cannot read the cancel message: stop it from outside.
    this.terminator.terminate(WORKER_URL.href);
    await this.confirmRunnable();
    this.finish(run.runId, { status: "error", ...INTERRUPTED });
  }

  /**
   * A terminate request that lands after the spinning code ended would stop the next thing the worker
   * runs instead; pinging until a pong comes back absorbs it before the next cell is sent.
   */
  private async confirmRunnable(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const id = this.nextPingId++;
      const pong = new Promise<boolean>((resolve) => this.pings.set(id, () => resolve(true)));
      this.post({ kind: "ping", id });
      const answered = await Promise.race([pong, delay(20).then(() => false)]);
      this.pings.delete(id);
      if (answered) return;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.terminator.close();
    await this.worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private finish(runId: number, result: RunResult): void {
    if (!this.current || this.current.runId !== runId) return; // a late answer from an interrupted run
    const { resolve } = this.current;
    this.current = undefined;
    resolve(result);
  }

  private onMessage(message: FromWorker): void {
    switch (message.kind) {
      case "stream":
        this.sink.stream(message.name, message.text);
        break;
      case "display":
        this.sink.display(message.bundle, message.displayId, message.update);
        break;
      case "clear":
        this.sink.clear(message.wait);
        break;
      case "input":
        this.sink.input(message.prompt, message.password).then(
          (value) => this.post({ kind: "input-reply", requestId: message.requestId, value }),
          (error: Error) => this.post({ kind: "input-error", requestId: message.requestId, message: error.message }),
        );
        break;
      case "done":
        this.finish(message.runId, message.result);
        break;
      case "evaluated": {
        const resolve = this.evaluations.get(message.runId);
        this.evaluations.delete(message.runId);
        resolve?.(message.results);
        break;
      }
      case "uncaught":
        this.sink.uncaught(message.failure, message.origin);
        break;
      case "pong":
        this.pings.get(message.id)?.();
        break;
      case "ready":
        break;
    }
  }

  private onExit(worker: Worker, code: number): void {
    if (this.closing || worker !== this.worker) return;
    const lost: CellFailure = {
      ename: "KernelStateLost",
      evalue: `The exec worker exited (code ${code}), e.g. process.exit() or out of memory; variables were reset.`,
      stack: `KernelStateLost: the exec worker exited with code ${code}; variables were reset. Avoid process.exit() in cells.`,
    };
    if (this.current) this.finish(this.current.runId, { status: "error", ...lost });
    else this.sink.stream("stderr", `${lost.stack}\n`);
    for (const resolve of this.evaluations.values()) resolve({});
    this.evaluations.clear();
    this.start();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
