/**
 * The display functions user code sees: `display(value, { id?, update? })` returning a handle,
 * `clear_output({ wait })`, and the `Symbol.for("kindling.display")` hook the runtime calls to
 * publish ready-made bundles (progress, plans) from inside an action. All of them post to the main
 * thread, which sends them on IOPub with the current cell's parent header.
 */
import { randomUUID } from "node:crypto";
import type { FromWorker, MimeBundle } from "../exec/worker-protocol.js";
import { normalizeBundle, toMimeBundle } from "./mime-bundle.js";

export const KINDLING_DISPLAY_HOOK = Symbol.for("kindling.display");

export interface DisplayOptions {
  /** A display id (any string) to update this output in place later; one is made up when absent. */
  id?: string | boolean;
  /** Replace the output with this id instead of adding a new one. */
  update?: boolean;
}

export interface DisplayHandle {
  readonly id: string;
  update(value: unknown): Promise<void>;
  display(value: unknown): Promise<void>;
}

/** What the runtime's hook receives: a bundle (data + optional metadata), published as-is. */
export type KindlingDisplayHook = (
  bundle: { data: Record<string, unknown>; metadata?: Record<string, unknown> },
  options?: { id?: string; update?: boolean },
) => void;

export function installDisplayApi(target: Record<PropertyKey, unknown>, post: (message: FromWorker) => void): void {
  const publish = (bundle: MimeBundle, id: string | undefined, update: boolean): void => {
    post({ kind: "display", bundle, update, ...(id === undefined ? {} : { displayId: id }) });
  };

  async function display(value: unknown, options: DisplayOptions = {}): Promise<DisplayHandle> {
    // Every display gets an id (transient, invisible in the notebook file) so its handle can always update it.
    const id = typeof options.id === "string" && options.id !== "" ? options.id : randomUUID();
    const bundle = await toMimeBundle(value);
    if (bundle) publish(bundle, id, options.update === true);
    return makeHandle(id);
  }

  function makeHandle(id: string): DisplayHandle {
    return {
      id,
      async update(value: unknown) {
        const bundle = await toMimeBundle(value);
        if (bundle) publish(bundle, id, true);
      },
      async display(value: unknown) {
        const bundle = await toMimeBundle(value);
        if (bundle) publish(bundle, id, false);
      },
    };
  }

  function clear_output(options: { wait?: boolean } = {}): void {
    post({ kind: "clear", wait: options.wait === true });
  }

  const hook: KindlingDisplayHook = (bundle, options = {}) => {
    const normalized = normalizeBundle({ data: bundle.data, metadata: bundle.metadata ?? {} });
    if (normalized) publish(normalized, options.id, options.update === true);
  };

  target["display"] = display;
  target["clear_output"] = clear_output;
  target["clearOutput"] = clear_output;
  target[KINDLING_DISPLAY_HOOK] = hook;
}
