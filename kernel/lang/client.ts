/**
 * createLanguageTools: the kernel's handle on the TypeScript tooling. Every call is a message to a
 * worker thread (kernel/lang/worker.ts) that owns the TypeScript compiler, so the kernel's main
 * thread never loads TypeScript and keeps answering heartbeat and kernel_info. This module must
 * not import "typescript" (directly or through any other module).
 */
import { Worker } from "node:worker_threads";
import type { CellDiagnostic, CompiledCell, EmittedCell, StagedCompile, CompletionResult, InspectResult, IsCompleteResult, LanguageTools } from "./api.js";
import type { LanguageMethods, MethodName, WorkerRequest, WorkerResponse, WorkerStartData } from "./worker-protocol.js";

export interface LanguageToolsOptions {
  /** The notebook's directory: relative imports and node_modules resolve from here. */
  readonly cwd: string;
  /** Worker script; defaults to worker.js next to this file. */
  readonly workerUrl?: URL;
  /** A request not answered in this time fails and the worker is restarted (default 60 s: a cold start takes seconds). */
  readonly requestTimeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function createLanguageTools(options: LanguageToolsOptions): LanguageTools {
  return new LanguageToolsClient(options);
}

class LanguageToolsClient implements LanguageTools {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private strict = false;
  /** Replayed into a restarted worker so it knows every earlier cell again. */
  private readonly committed: [code: string, n: number][] = [];
  private closed = false;
  private readonly workerUrl: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: LanguageToolsOptions) {
    this.workerUrl = options.workerUrl ?? new URL("./worker.js", import.meta.url);
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    // Start now: TypeScript loads and the checker warms up while the kernel answers kernel_info.
    this.ensureWorker();
  }

  compile(code: string, n: number): Promise<CompiledCell> {
    return this.call("compile", [code, n]);
  }

  /**
   * Two messages sent back to back: the worker answers emit, then checks while the cell runs.
   * The worker handles requests in order, so the check always belongs to this emit.
   */
  async compileStaged(code: string, n: number): Promise<StagedCompile> {
    const emitted = this.call("emit", [code, n]);
    const diagnostics: Promise<readonly CellDiagnostic[]> = this.call("checkEmitted", []);
    diagnostics.catch(() => undefined); // awaited by the caller; never an unhandled rejection
    const cell: EmittedCell = await emitted;
    return { ...cell, diagnostics };
  }

  async commit(code: string, n: number): Promise<void> {
    this.committed.push([code, n]);
    await this.call("commit", [code, n]);
  }

  complete(code: string, cursorPos: number): Promise<CompletionResult> {
    return this.call("complete", [code, cursorPos]);
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectResult> {
    return this.call("inspect", [code, cursorPos, detailLevel]);
  }

  isComplete(code: string): Promise<IsCompleteResult> {
    return this.call("isComplete", [code]);
  }

  mapStack(stack: string): Promise<string> {
    return this.call("mapStack", [stack]);
  }

  setStrict(strict: boolean): void {
    this.strict = strict;
    void this.call("setStrict", [strict]).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error("language tools closed"));
    if (worker !== undefined) await worker.terminate();
  }

  private call<M extends MethodName>(method: M, params: LanguageMethods[M]["params"]): Promise<LanguageMethods[M]["result"]> {
    if (this.closed) return Promise.reject(new Error("language tools closed"));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<LanguageMethods[M]["result"]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`TypeScript tooling did not answer ${method} within ${this.timeoutMs} ms; restarting it`));
        this.restart();
      }, this.timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      worker.ref();
      const request: WorkerRequest<M> = { id, method, params };
      worker.postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const workerData: WorkerStartData = { cwd: this.options.cwd };
    const worker = new Worker(this.workerUrl, { workerData, stdout: false, stderr: false });
    worker.unref();
    worker.on("message", (response: WorkerResponse) => this.settle(response));
    worker.on("error", (error) => this.onWorkerGone(worker, error));
    worker.on("exit", (code) => this.onWorkerGone(worker, new Error(`TypeScript tooling worker exited (code ${code})`)));
    this.worker = worker;
    // A restarted worker must know the notebook's earlier cells and the strict setting again.
    if (this.strict) worker.postMessage({ id: 0, method: "setStrict", params: [true] } satisfies WorkerRequest<"setStrict">);
    for (const [code, n] of this.committed) {
      worker.postMessage({ id: 0, method: "commit", params: [code, n] } satisfies WorkerRequest<"commit">);
    }
    return worker;
  }

  private settle(response: WorkerResponse): void {
    const entry = this.pending.get(response.id);
    if (entry === undefined) return;
    this.pending.delete(response.id);
    clearTimeout(entry.timer);
    if ("error" in response) entry.reject(new Error(`TypeScript tooling failed: ${response.error}`));
    else entry.resolve(response.result);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private onWorkerGone(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(error);
  }

  private restart(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error("TypeScript tooling restarted"));
    if (worker !== undefined) void worker.terminate();
  }

  private failAll(error: Error): void {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.reject(error);
    }
  }
}
