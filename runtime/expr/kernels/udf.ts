/**
 * User functions: the function's source text is compiled once per worker and called per row with
 * JS values (int64 and decimals as numbers, dates and timestamps as Date objects, lists as arrays).
 * A throw becomes a UserError naming the UDF and a sample row; the scheduler does not retry it.
 */
import type { Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import { type DataType, typeToString } from "../types.js";
import { buildColumn, valueAt } from "./columns.js";

import { UserError } from "./errors.js";
import { parseDecimal } from "./number-format.js";
import { parseDate, parseTimestamp } from "./datetime.js";

type UserFn = (...args: unknown[]) => unknown;

const compiled = new Map<string, UserFn>();

function compileSource(name: string, source: string): UserFn {
  let fn = compiled.get(source);
  if (!fn) {
    let value: unknown;
    try {
      // The source is the user's own function text, shipped from their cell to this worker.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      value = new Function(`"use strict"; return (${source});`)();
    } catch (e) {
      throw new UserError(`UDF "${name}" could not be compiled in the worker: ${(e as Error).message}`, { cause: e });
    }
    if (typeof value !== "function") throw new UserError(`UDF "${name}" is not a function (its source evaluates to ${typeof value})`);
    fn = value as UserFn;
    compiled.set(source, fn);
  }
  return fn;
}

export function toJs(type: DataType, v: LiteralValue): unknown {
  if (v === null) return null;
  switch (type.kind) {
    case "int64": return Number(v);
    case "decimal": return Number(v) / 10 ** type.scale;
    case "date": return new Date((v as number) * 86_400_000);
    case "timestamp": return new Date(Number(v) / 1000);
    case "list": return (v as LiteralValue[]).map((e) => toJs(type.element, e));
    default: return v;
  }
}

/** Converts a UDF's return value to the declared type; undefined or null gives null. */
export function fromJs(type: DataType, v: unknown, describe: () => string): LiteralValue {
  if (v === null || v === undefined) return null;
  const wrong = (): never => {
    throw new UserError(`UDF returned ${describeValue(v)} (${typeof v}) but was declared to return ${typeToString(type)}; ` +
      `return a ${typeToString(type)} or change the declared type`, { sampleRow: describe() });
  };
  switch (type.kind) {
    case "null": return null;
    case "bool": return typeof v === "boolean" ? v : wrong();
    case "int32": return typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) | 0 : wrong();
    case "int64":
      if (typeof v === "bigint") return BigInt.asIntN(64, v);
      return typeof v === "number" && Number.isFinite(v) ? BigInt(Math.trunc(v)) : wrong();
    case "float64": return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : wrong();
    case "decimal": return typeof v === "number" || typeof v === "bigint" ? parseDecimal(String(v), type.precision, type.scale) : wrong();
    case "string": return typeof v === "string" ? v : String(v);
    case "date":
      if (v instanceof Date) return Math.floor(v.getTime() / 86_400_000);
      return typeof v === "string" ? parseDate(v) : wrong();
    case "timestamp": {
      if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
      const m = typeof v === "string" ? parseTimestamp(v) : null;
      return m === null ? wrong() : BigInt(m);
    }
    case "list": return Array.isArray(v) ? v.map((e) => fromJs(type.element, e, describe)) : wrong();
  }
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return `Date(${v.toISOString()})`;
  return `${String(v)} (${typeof v})`;
}

export interface UdfCall {
  readonly name: string;
  readonly source: string;
  readonly returnType: DataType;
  /** Display names of the arguments (column names where they are columns), for error rows. */
  readonly argNames: readonly string[];
}

export function evaluateUdf(call: UdfCall, args: readonly Column[], length: number): Column {
  const fn = compileSource(call.name, call.source);
  const out = new Array<LiteralValue>(length);
  const jsArgs = new Array<unknown>(args.length);
  const raw = new Array<LiteralValue>(args.length);
  for (let i = 0; i < length; i++) {
    for (let a = 0; a < args.length; a++) {
      raw[a] = valueAt(args[a]!, i);
      jsArgs[a] = toJs(args[a]!.type, raw[a]!);
    }
    const describe = (): string => `{${call.argNames.map((n, a) => `${n}: ${describeValue(raw[a])}`).join(", ")}}`;
    let result: unknown;
    try {
      result = fn(...jsArgs);
    } catch (e) {
      throw new UserError(`UDF "${call.name}" threw: ${(e as Error)?.message ?? String(e)}`, { sampleRow: describe(), cause: e });
    }
    try {
      out[i] = fromJs(call.returnType, result, describe);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`UDF "${call.name}": ${e.message}`, { cause: e });
      throw e;
    }
  }
  return buildColumn(call.returnType, out);
}

