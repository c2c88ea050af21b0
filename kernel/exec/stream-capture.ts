/**
 * Captures console.* and process.stdout/stderr writes in the exec worker and posts them to the main
 * thread as `stream` chunks, coalesced: a write flushes at once if nothing was sent in the last few
 * ms, else it waits for a short timer (or the next write after that time, or a large buffer), and
 * everything is flushed before a cell's completion.
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
import type { FromWorker } from "./worker-protocol.js";

const FLUSH_DELAY_MS = 4;
const FLUSH_SIZE = 16 * 1024;

export interface StreamCapture {
  write(name: "stdout" | "stderr", text: string): void;
  flush(): void;
}

export function installStreamCapture(post: (message: FromWorker) => void): StreamCapture {
  const pending: { stdout: string; stderr: string } = { stdout: "", stderr: "" };
  // Order between the two streams matters to readers; remember which one was written first.
  let order: ("stdout" | "stderr")[] = [];
  let timer: NodeJS.Timeout | undefined;

  let lastFlush = 0;

  const flush = (): void => {
    lastFlush = performance.now();
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const name of order) {
      if (pending[name] !== "") post({ kind: "stream", name, text: pending[name] });
      pending[name] = "";
    }
    order = [];
  };

  const write = (name: "stdout" | "stderr", text: string): void => {
    if (text === "") return;
    // Interleaved writes to both streams: send what we have so the reader sees the true order.
    if (order.length > 0 && order[order.length - 1] !== name) flush();
    if (!order.includes(name)) order.push(name);
    pending[name] += text;
    // Checked on every write, not only by the timer: a cell spinning in synchronous code never lets
    // the timer fire, and its prints must still appear while it runs.
    if (pending[name].length >= FLUSH_SIZE || performance.now() - lastFlush >= FLUSH_DELAY_MS) flush();
    else if (!timer) timer = setTimeout(flush, FLUSH_DELAY_MS);
  };

  const sink = (name: "stdout" | "stderr"): Writable =>
    new Writable({
      decodeStrings: false,
      write(chunk: unknown, _encoding, callback) {
        write(name, typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
        callback();
      },
    });

  const userConsole = new Console({ stdout: sink("stdout"), stderr: sink("stderr"), colorMode: false });
  globalThis.console = userConsole;
  patchProcessStream(process.stdout, "stdout", write);
  patchProcessStream(process.stderr, "stderr", write);
  return { write, flush };
}

function patchProcessStream(
  stream: NodeJS.WriteStream,
  name: "stdout" | "stderr",
  write: (name: "stdout" | "stderr", text: string) => void,
): void {
  const patched = (chunk: unknown, encodingOrCallback?: unknown, maybeCallback?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    write(name, text);
    const callback = typeof encodingOrCallback === "function" ? encodingOrCallback : maybeCallback;
    if (typeof callback === "function") queueMicrotask(() => (callback as () => void)());
    return true;
  };
  Object.defineProperty(stream, "write", { value: patched, writable: true, configurable: true });
}
