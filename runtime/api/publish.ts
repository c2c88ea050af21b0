/**
 * Publishing a rich output from inside an action. In a Kindling notebook the kernel installs a hook
 * at globalThis[Symbol.for("kindling.display")] (docs/kernel.md) that sends a MIME bundle to the
 * cell's output; elsewhere (a plain script) there is no hook and callers print text instead.
 */
type DisplayHook = (bundle: { data: Record<string, unknown>; metadata?: Record<string, unknown> }, options?: { id?: string; update?: boolean }) => void;

const HOOK = Symbol.for("kindling.display");

/** Publishes `data` through the notebook's display hook; false when there is none. */
export function publishBundle(data: Record<string, unknown>): boolean {
  const hook = (globalThis as Record<symbol, unknown>)[HOOK];
  if (typeof hook !== "function") return false;
  (hook as DisplayHook)({ data });
  return true;
}
