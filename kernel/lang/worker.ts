/**
 * The language worker thread: loads TypeScript (the static import below, off the kernel's main
 * thread), answers requests in arrival order, and warms the checker up as soon as it is idle.
 */
import { parentPort, workerData } from "node:worker_threads";
import { LanguageCore } from "./language-core.js";
import type { LanguageMethods, MethodName, WorkerRequest, WorkerResponse, WorkerStartData } from "./worker-protocol.js";

const port = parentPort;
if (port === null) throw new Error("kernel/lang/worker.js must run as a worker thread");
const { cwd } = workerData as WorkerStartData;
const core = new LanguageCore(cwd);

type Handlers = { [M in MethodName]: (...params: LanguageMethods[M]["params"]) => LanguageMethods[M]["result"] };
const handlers: Handlers = {
  compile: (code, n) => core.compile(code, n),
  emit: (code, n) => core.emit(code, n),
  checkEmitted: () => core.checkEmitted(),
  commit: (code) => core.commit(code),
  complete: (code, cursorPos) => core.complete(code, cursorPos),
  inspect: (code, cursorPos, detailLevel) => core.inspect(code, cursorPos, detailLevel),
  isComplete: (code) => core.isComplete(code),
  mapStack: (stack) => core.mapStack(stack),
  setStrict: (strict) => core.setStrict(strict),
};

port.on("message", (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    const handler = handlers[request.method] as (...params: unknown[]) => unknown;
    response = { id: request.id, result: handler(...request.params) };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(response);
  scheduleIdleWork();
});

/**
 * After a commit (new declarations) or a completion (another current file) the next cell's type
 * check would first build a new program; doing it once the worker has been idle a moment takes
 * that off the next cell's path. Requests that arrive meanwhile are answered first.
 */
const IDLE_WORK_DELAY_MS = 5;
let idleWork: NodeJS.Timeout | undefined;
function scheduleIdleWork(): void {
  if (idleWork !== undefined) clearTimeout(idleWork);
  idleWork = setTimeout(() => {
    idleWork = undefined;
    try {
      core.prepareForNextCell();
    } catch {
      // Only a head start: the next check builds what it needs itself.
    }
  }, IDLE_WORK_DELAY_MS);
  idleWork.unref();
}

// Requests already queued are answered first; the warm-up runs when the queue is empty, in two
// steps so a compile that arrives meanwhile does not also wait for the completion warm-up.
function warmUpStep(step: 0 | 1): void {
  try {
    core.warmUp(step);
  } catch {
    // A failed warm-up only costs time: the first real request builds the project again.
  }
  if (step === 0) setImmediate(() => warmUpStep(1));
}
setImmediate(() => warmUpStep(0));
