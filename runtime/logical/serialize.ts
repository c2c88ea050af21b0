/**
 * JSON for plans and expressions. int64/timestamp/decimal literals are bigint, which JSON.stringify
 * rejects, so they travel as {"$bigint": "123"} and come back as bigint. Used to ship plan
 * fragments, to print them, and as a structural key (two expressions are the same if their keys are).
 */
import type { Expr } from "../expr/ir.js";
import type { LogicalPlan } from "./plan.js";

const BIGINT_TAG = "$bigint";

function replacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? { [BIGINT_TAG]: value.toString() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const tagged = (value as Record<string, unknown>)[BIGINT_TAG];
    if (keys.length === 1 && typeof tagged === "string") return BigInt(tagged);
  }
  return value;
}

/** Bigint-safe JSON.stringify (pass `indent` for readable output). */
export function toJSON(value: unknown, indent?: number): string {
  return JSON.stringify(value, replacer, indent);
}

/** Bigint-safe JSON.parse, the inverse of toJSON. */
export function fromJSON<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

export function planToJSON(plan: LogicalPlan, indent?: number): string {
  return toJSON(plan, indent);
}

export function planFromJSON(text: string): LogicalPlan {
  return fromJSON<LogicalPlan>(text);
}

/** A structural identity key for an expression (object keys sorted, so construction order does not matter). */
export function exprKey(e: Expr): string {
  return stableText(e);
}

function stableText(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(stableText).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableText(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

export function exprEquals(a: Expr, b: Expr): boolean {
  return exprKey(a) === exprKey(b);
}
