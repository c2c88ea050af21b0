/**
 * Small builders for function signatures, so each function states its parameters once and gets
 * arity, typing, implicit casts and error messages that name the expected types.
 */
import { commonType } from "../coercion.js";
import { type DataType, isNumeric, typeToString, Types } from "../types.js";
import type { FunctionDef, FunctionDoc, Kernel } from "./function-def.js";

/**
 * A parameter's accepted types and what it is cast to:
 *   string    any scalar type, cast to string (Spark casts implicitly, e.g. lower(42))
 *   int32     any number, cast to int32        float64  any number, cast to float64
 *   int64     any number, cast to int64        numeric  any number, kept as is
 *   date      date, timestamp or string, cast to date
 *   timestamp timestamp, date or string, cast to timestamp
 *   bool      bool only                         any      anything, kept as is
 */
export type Param = "string" | "int32" | "int64" | "float64" | "numeric" | "date" | "timestamp" | "bool" | "any";

const PARAM_WORDS: Record<Param, string> = {
  string: "a string",
  int32: "an integer",
  int64: "an integer",
  float64: "a number",
  numeric: "a number",
  date: "a date (or a timestamp / 'yyyy-MM-dd' string)",
  timestamp: "a timestamp (or a date / timestamp string)",
  bool: "a boolean",
  any: "any value",
};

function accepts(p: Param, t: DataType): boolean {
  if (t.kind === "null") return true;
  switch (p) {
    case "string": return t.kind !== "list";
    case "int32": case "int64": case "float64": case "numeric": return isNumeric(t);
    case "date": case "timestamp": return t.kind === "date" || t.kind === "timestamp" || t.kind === "string";
    case "bool": return t.kind === "bool";
    case "any": return true;
  }
}

function castTarget(p: Param, t: DataType): DataType {
  switch (p) {
    case "string": return Types.string;
    case "int32": return Types.int32;
    case "int64": return Types.int64;
    case "float64": return Types.float64;
    case "date": return Types.date;
    case "timestamp": return Types.timestamp;
    case "bool": return Types.bool;
    case "numeric": return t.kind === "null" ? Types.float64 : t;
    case "any": return t;
  }
}

export interface SimpleSpec {
  readonly name: string;
  /** Required parameters first, then optional ones (`optional` of them, counted from the end). */
  readonly params: readonly Param[];
  readonly optional?: number;
  /** When set, the last parameter repeats (variadic). */
  readonly variadic?: boolean;
  /** The result type, given the argument types after casting. */
  readonly result: DataType | ((castArgs: readonly DataType[]) => DataType | string);
  readonly perValueOfFirstArg?: boolean;
  readonly deterministic?: boolean;
  readonly doc: FunctionDoc;
  readonly kernel: Kernel;
}

function paramAt(spec: SimpleSpec, i: number): Param {
  const last = spec.params.length - 1;
  return spec.params[Math.min(i, last)] ?? "any";
}

/** A function whose parameters each have a fixed accepted set (most functions). */
export function simpleFunction(spec: SimpleSpec): FunctionDef {
  const minArgs = spec.params.length - (spec.optional ?? 0);
  const maxArgs = spec.variadic ? Infinity : spec.params.length;
  const castArgsTo = (argTypes: readonly DataType[]): readonly DataType[] =>
    argTypes.map((t, i) => castTarget(paramAt(spec, i), t));
  return {
    name: spec.name,
    minArgs,
    maxArgs,
    perValueOfFirstArg: spec.perValueOfFirstArg,
    deterministic: spec.deterministic,
    doc: spec.doc,
    kernel: spec.kernel,
    castArgsTo,
    resultType(argTypes) {
      const arity = checkArity(spec.name, spec.doc.signature, minArgs, maxArgs, argTypes.length);
      if (arity) return arity;
      for (let i = 0; i < argTypes.length; i++) {
        const p = paramAt(spec, i);
        const t = argTypes[i]!;
        if (!accepts(p, t)) {
          return `${spec.name}: argument ${i + 1} must be ${PARAM_WORDS[p]}, got ${typeToString(t)} ` +
            `(signature: ${spec.doc.signature}); cast it with .cast(...)`;
        }
      }
      return typeof spec.result === "function" ? spec.result(castArgsTo(argTypes)) : spec.result;
    },
  };
}

export function checkArity(name: string, signature: string, min: number, max: number, got: number): string | undefined {
  if (got >= min && got <= max) return undefined;
  const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  return `${name} takes ${want} argument${min === 1 && max === 1 ? "" : "s"}, got ${got} (signature: ${signature})`;
}

/** The common type of all arguments (coalesce, greatest, nullif), or an error naming them. */
export function commonOf(name: string, argTypes: readonly DataType[]): DataType | string {
  let acc: DataType = Types.null;
  for (const t of argTypes) {
    const next = commonType(acc, t);
    if (!next) {
      return `${name}: arguments have no common type (${argTypes.map(typeToString).join(", ")}); cast them to one type`;
    }
    acc = next;
  }
  return acc;
}

/** A function whose arguments all share one common type (coalesce, greatest, least, nullif). */
export function commonTypeFunction(spec: {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly result?: (common: DataType) => DataType | string;
  readonly doc: FunctionDoc;
  readonly kernel: Kernel;
}): FunctionDef {
  return {
    name: spec.name,
    minArgs: spec.minArgs,
    maxArgs: spec.maxArgs,
    doc: spec.doc,
    kernel: spec.kernel,
    castArgsTo(argTypes) {
      const c = commonOf(spec.name, argTypes);
      return typeof c === "string" ? argTypes : argTypes.map(() => c);
    },
    resultType(argTypes) {
      const arity = checkArity(spec.name, spec.doc.signature, spec.minArgs, spec.maxArgs, argTypes.length);
      if (arity) return arity;
      const c = commonOf(spec.name, argTypes);
      if (typeof c === "string") return c;
      return spec.result ? spec.result(c) : c;
    },
  };
}
