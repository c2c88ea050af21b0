/**
 * Entry of the exec worker: the one thread that runs user code, in one persistent context (this
 * thread's own realm, so arrays and typed arrays made by cells pass `instanceof` checks in the
 * runtime's modules, which load into the same realm). The main thread owns the sockets; this thread
 * only evaluates compiled cells and posts outputs back, so heartbeat and control never wait on a cell.
 */
import { setMaxListeners } from "node:events";
import { createRequire } from "node:module";
import { join } from "node:path";
import vm from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import { installDisplayApi } from "../display/display-api.js";
import { toMimeBundle, plainText } from "../display/mime-bundle.js";
import { createImporter } from "./importer.js";
import { createInputFunction } from "./input.js";
import { installStreamCapture } from "./stream-capture.js";
import type { CellFailure, FromWorker, ToWorker, UserExpressionResult } from "./worker-protocol.js";

const port = parentPort;
if (!port) throw new Error("exec-worker.js must run as a worker thread");
const cwd = (workerData as { cwd?: string } | undefined)?.cwd ?? process.cwd();
const post = (message: FromWorker): void => port.postMessage(message);
const globals = globalThis as unknown as Record<PropertyKey, unknown>;

const capture = installStreamCapture(post);
installDisplayApi(globals, post);
const input = createInputFunction(post);
globals["input"] = input.input;
globals["__kindling_import"] = createImporter(cwd);
globals["require"] = createRequire(join(cwd, "__kindling_notebook__.js"));

/** Functions the runtime registers to stop its running job when the user interrupts. */
const cancelHooks = new Set<() => void>();
globals[Symbol.for("kindling.cancelHooks")] = cancelHooks;
let abortController = newAbortController();
Object.defineProperty(globalThis, "__kindling_abort", { get: () => abortController.signal, configurable: true });

/** Every action of a session listens on the same signal; many listeners are expected, not a leak. */
function newAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

let interruptCurrent: ((reason: Error) => void) | undefined;

class Interrupted extends Error {
  override name = "Interrupted";
}

function cancel(): void {
  const reason = new Interrupted("The cell was interrupted.");
  const controller = abortController;
  abortController = newAbortController();
  controller.abort(reason);
  for (const hook of cancelHooks) {
    try {
      hook();
    } catch (error) {
      capture.write("stderr", `A cancel hook failed: ${plainText(error)}\n`);
    }
  }
  input.rejectAll(reason);
  interruptCurrent?.(reason);
}

function toFailure(error: unknown): CellFailure {
  if (error instanceof Error) {
    return { ename: error.name || "Error", evalue: error.message, stack: error.stack ?? `${error.name}: ${error.message}` };
  }
  const text = plainText(error);
  return { ename: "Uncaught", evalue: text, stack: `Uncaught ${text}` };
}

async function run(runId: number, js: string, filename: string): Promise<void> {
  let interruptThis: (reason: Error) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    interruptThis = reject;
  });
  interruptCurrent = interruptThis;
  interrupted.catch(() => undefined);
  try {
    const script = new vm.Script(js, { filename });
    const completion: unknown = script.runInThisContext({ displayErrors: false });
    const outcome: unknown = await Promise.race([completion, interrupted]);
    const value = outcome !== null && typeof outcome === "object" && "value" in outcome ? outcome.value : undefined;
    const bundle = await Promise.race([toMimeBundle(value), interrupted]);
    capture.flush();
    post({ kind: "done", runId, result: bundle ? { status: "ok", value: bundle } : { status: "ok" } });
  } catch (error) {
    capture.flush();
    post({ kind: "done", runId, result: { status: "error", ...toFailure(error) } });
  } finally {
    if (interruptCurrent === interruptThis) interruptCurrent = undefined;
  }
}

async function evaluate(runId: number, expressions: Record<string, string>): Promise<void> {
  const results: Record<string, UserExpressionResult> = {};
  for (const [name, source] of Object.entries(expressions)) {
    try {
      const value: unknown = await vm.runInThisContext(`(${source}\n)`, { filename: `user_expressions[${name}]` });
      const bundle = (await toMimeBundle(value)) ?? { data: { "text/plain": "undefined" }, metadata: {} };
      results[name] = { status: "ok", ...bundle };
    } catch (error) {
      const failure = toFailure(error);
      results[name] = { status: "error", ename: failure.ename, evalue: failure.evalue, traceback: failure.stack.split("\n") };
    }
  }
  post({ kind: "evaluated", runId, results });
}

port.on("message", (message: ToWorker) => {
  switch (message.kind) {
    case "run":
      void run(message.runId, message.js, message.filename);
      break;
    case "evaluate":
      void evaluate(message.runId, message.expressions);
      break;
    case "cancel":
      cancel();
      break;
    case "input-reply":
    case "input-error":
      input.answer(message);
      break;
    case "ping":
      post({ kind: "pong", id: message.id });
      break;
  }
});

// Errors from timers and promises nobody awaited: report them and keep the context alive.
process.on("uncaughtException", (error) => {
  capture.flush();
  post({ kind: "uncaught", failure: toFailure(error), origin: "exception" });
});
process.on("unhandledRejection", (reason) => {
  capture.flush();
  post({ kind: "uncaught", failure: toFailure(reason), origin: "rejection" });
});

post({ kind: "ready" });
