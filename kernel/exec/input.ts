/**
 * `await input("name?")` and `await input("password:", { password: true })` in cells: the worker asks
 * the main thread, which sends an input_request on the stdin channel (only if the client allows it)
 * and answers with the reply's value or an error.
 */
import type { FromWorker, ToWorker } from "./worker-protocol.js";

type Answer = Extract<ToWorker, { kind: "input-reply" | "input-error" }>;

export interface InputBridge {
  input(prompt?: string, options?: { password?: boolean }): Promise<string>;
  answer(message: Answer): void;
  rejectAll(reason: Error): void;
}

export function createInputFunction(post: (message: FromWorker) => void): InputBridge {
  const waiting = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  return {
    input(prompt = "", options = {}) {
      const requestId = nextId++;
      return new Promise<string>((resolve, reject) => {
        waiting.set(requestId, { resolve, reject });
        post({ kind: "input", requestId, prompt: String(prompt), password: options.password === true });
      });
    },
    answer(message) {
      const entry = waiting.get(message.requestId);
      if (!entry) return;
      waiting.delete(message.requestId);
      if (message.kind === "input-reply") entry.resolve(message.value);
      else entry.reject(Object.assign(new Error(message.message), { name: "StdinNotAllowed" }));
    },
    rejectAll(reason) {
      for (const entry of waiting.values()) entry.reject(reason);
      waiting.clear();
    },
  };
}
