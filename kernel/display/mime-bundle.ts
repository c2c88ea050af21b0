/**
 * Turns a value into a Jupyter MIME bundle. A value that answers `[Symbol.for("Jupyter.display")]()`
 * (Deno's display symbol, so libraries written for Deno notebooks render here too) is shown with the
 * bundle it returns; anything else as text/plain from util.inspect without ANSI colours.
 */
import { inspect } from "node:util";
import type { MimeBundle } from "../exec/worker-protocol.js";

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** `undefined` means "no output" (a cell ending in a declaration or `undefined`). */
export async function toMimeBundle(value: unknown): Promise<MimeBundle | undefined> {
  if (value === undefined) return undefined;
  const hook = displayHookOf(value);
  if (hook) {
    const answer: unknown = await hook.call(value);
    const bundle = normalizeBundle(answer);
    if (bundle) {
      if (!("text/plain" in bundle.data)) bundle.data["text/plain"] = plainText(value);
      return bundle;
    }
  }
  return { data: { "text/plain": plainText(value) }, metadata: {} };
}

export function plainText(value: unknown): string {
  if (typeof value === "string") return inspect(value, { colors: false });
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return inspect(value, { colors: false, depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}

function displayHookOf(value: unknown): ((this: unknown) => unknown) | undefined {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  try {
    const hook = (value as Record<symbol, unknown>)[JUPYTER_DISPLAY];
    return typeof hook === "function" ? (hook as (this: unknown) => unknown) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Accepts either a plain `{ "text/html": ..., ... }` object (Deno's shape) or `{ data, metadata }`.
 * JSON MIME types keep their object value; everything else must be a string.
 */
export function normalizeBundle(answer: unknown): MimeBundle | undefined {
  if (answer === null || typeof answer !== "object") return undefined;
  const record = answer as Record<string, unknown>;
  const hasDataField = record["data"] !== null && typeof record["data"] === "object" && !Object.keys(record).some(isMimeType);
  const source = (hasDataField ? record["data"] : record) as Record<string, unknown>;
  const metadata = hasDataField && record["metadata"] && typeof record["metadata"] === "object"
    ? { ...(record["metadata"] as Record<string, unknown>) }
    : {};
  const data: Record<string, unknown> = {};
  for (const [mime, content] of Object.entries(source)) {
    if (!isMimeType(mime) || content === undefined) continue;
    data[mime] = isJsonMime(mime) || typeof content === "string" ? toCloneable(content) : String(content);
  }
  return Object.keys(data).length > 0 ? { data, metadata } : undefined;
}

function isMimeType(key: string): boolean {
  return /^[a-z]+\/[\w.+-]+$/i.test(key);
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

/** Bundles cross a thread and become JSON; drop what cannot (functions, cycles) early and loudly. */
function toCloneable(content: unknown): unknown {
  if (typeof content === "string") return content;
  try {
    return JSON.parse(JSON.stringify(content)) as unknown;
  } catch (error) {
    return `[bundle value is not JSON: ${(error as Error).message}]`;
  }
}
