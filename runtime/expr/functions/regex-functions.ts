/**
 * Pattern functions: SQL LIKE, regular expressions (JavaScript syntax, which agrees with Java's
 * for the common subset Spark users write), split. Patterns are compiled once and cached.
 */
import type { Column } from "../../batch/column.js";
import { buildColumn, fixedColumn } from "../kernels/columns.js";
import { UserError } from "../kernels/errors.js";
import type { LiteralValue } from "../ir.js";
import { endOf, readerOf, startOf, stringsOf, type StringColumn, StringBuilder } from "../kernels/strings.js";
import { allNullBitmap, isValid, setValid } from "../kernels/validity.js";
import { Types } from "../types.js";
import type { FunctionDef, KernelContext } from "./function-def.js";
import { simpleFunction } from "./signature.js";

const regexCache = new Map<string, RegExp>();

/** Compiles (and caches) a regex; a bad pattern is a user error naming the pattern. */
export function compileRegex(fnName: string, pattern: string, flags = "u"): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(pattern, flags);
    } catch (e) {
      throw new UserError(`${fnName}: invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    if (regexCache.size > 256) regexCache.clear();
    regexCache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** SQL LIKE pattern (`%` any run, `_` one character, `\` escapes) as an anchored regex. */
export function likeToRegex(pattern: string): string {
  let out = "^";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\" && i + 1 < chars.length) out += escapeRegex(chars[++i]!);
    else if (c === "%") out += "[\\s\\S]*";
    else if (c === "_") out += "[\\s\\S]";
    else out += escapeRegex(c);
  }
  return out + "$";
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function strings(c: Column): (string | null)[] {
  return c.type.kind === "null" ? new Array<null>(c.length).fill(null) : stringsOf(c as StringColumn);
}

/** Row-wise regex test over decoded strings; a constant pattern is compiled once. */
function boolByPattern(args: readonly Column[], ctx: KernelContext, toRegex: (p: string) => RegExp): Column {
  const strs = strings(args[0]!);
  const constant = ctx.constants[1];
  const fixed = typeof constant === "string" ? toRegex(constant) : undefined;
  const pats = fixed ? undefined : strings(args[1]!);
  const out = new Uint8Array(ctx.length);
  const validity = allNullBitmap(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    const s = strs[i];
    const p = pats ? pats[i] : constant;
    if (s === null || s === undefined || p === null || p === undefined) continue;
    setValid(validity, i);
    const re = fixed ?? toRegex(p as string);
    re.lastIndex = 0;
    out[i] = re.test(s) ? 1 : 0;
  }
  return fixedColumn(Types.bool, out, validity);
}

/**
 * A LIKE pattern made only of literal text and `%` (the common case: 'abc%', '%abc', '%a%b%')
 * matched on UTF-8 bytes without decoding: the first segment anchors at the start, the last at
 * the end, the middle ones are found in order.
 */
function likeSegments(pattern: string): Uint8Array[] | undefined {
  if (pattern.includes("_") || pattern.includes("\\")) return undefined;
  return pattern.split("%").map((seg) => new TextEncoder().encode(seg));
}

function indexOfBytes(hay: Uint8Array, from: number, to: number, needle: Uint8Array): number {
  const n = needle.length;
  outer: for (let at = from; at + n <= to; at++) {
    for (let k = 0; k < n; k++) if (hay[at + k] !== needle[k]) continue outer;
    return at;
  }
  return -1;
}

function likeByBytes(arg: Column, segments: readonly Uint8Array[], length: number): Column {
  const r = readerOf(arg);
  const out = new Uint8Array(length);
  if (!r) return fixedColumn(Types.bool, out, allNullBitmap(length));
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const single = segments.length === 1;
  for (let i = 0; i < length; i++) {
    let s = startOf(r, i);
    let e = endOf(r, i);
    if (single) { out[i] = e - s === first.length && indexOfBytes(r.bytes, s, e, first) === s ? 1 : 0; continue; }
    if (e - s < first.length + last.length) continue;
    if (indexOfBytes(r.bytes, s, s + first.length, first) !== s) continue;
    if (indexOfBytes(r.bytes, e - last.length, e, last) !== e - last.length) continue;
    s += first.length;
    e -= last.length;
    let ok = true;
    for (let k = 1; k < segments.length - 1 && ok; k++) {
      const seg = segments[k]!;
      const at = indexOfBytes(r.bytes, s, e, seg);
      if (at < 0) ok = false;
      else s = at + seg.length;
    }
    out[i] = ok ? 1 : 0;
  }
  return fixedColumn(Types.bool, out, r.validity);
}

function likeKernel(args: readonly Column[], ctx: KernelContext): Column {
  const constant = ctx.constants[1];
  const segments = typeof constant === "string" ? likeSegments(constant) : undefined;
  if (segments) return likeByBytes(args[0]!, segments, ctx.length);
  return boolByPattern(args, ctx, (p) => compileRegex("like", likeToRegex(p), "u"));
}

function regexpExtractKernel(args: readonly Column[], ctx: KernelContext): Column {
  const strs = strings(args[0]!);
  const pats = strings(args[1]!);
  const idx = args[2] as (Column & { values: Int32Array; validity: Uint8Array | undefined }) | undefined;
  const b = new StringBuilder(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    const s = strs[i];
    const p = pats[i];
    if (s == null || p == null || (idx && (idx.type.kind !== "int32" || !isValid(idx.validity, i)))) { b.appendNull(); continue; }
    const group = idx ? idx.values[i]! : 1;
    const m = compileRegex("regexp_extract", p).exec(s);
    if (m && group >= m.length) {
      throw new UserError(`regexp_extract: group ${group} does not exist in ${JSON.stringify(p)} (it has ${m.length - 1}); use an index from 0 to ${m.length - 1}`);
    }
    // Spark: no match (or a group that did not take part) gives "".
    b.append(m ? (m[group] ?? "") : "");
  }
  return b.finish();
}

/**
 * Translates a Java replacement string (what Spark users write) to JavaScript's: `$0` is the whole
 * match (`$&` in JS), `${name}` a named group (`$<name>`), `\\x` a literal x; lone `$` stays literal.
 */
export function javaReplacement(r: string): string {
  let out = "";
  for (let i = 0; i < r.length; i++) {
    const c = r[i]!;
    if (c === "\\" && i + 1 < r.length) {
      const next = r[++i]!;
      out += next === "$" ? "$$" : next;
    } else if (c === "$") {
      const digits = /^\d+/.exec(r.slice(i + 1))?.[0];
      const named = /^\{(\w+)\}/.exec(r.slice(i + 1));
      if (digits) { out += digits === "0" ? "$&" : `$${digits}`; i += digits.length; }
      else if (named) { out += `$<${named[1]}>`; i += named[0].length; }
      else out += "$$";
    } else out += c;
  }
  return out;
}

function regexpReplaceKernel(args: readonly Column[], ctx: KernelContext): Column {
  const strs = strings(args[0]!);
  const pats = strings(args[1]!);
  const reps = strings(args[2]!);
  const b = new StringBuilder(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    const s = strs[i]; const p = pats[i]; const r = reps[i];
    if (s == null || p == null || r == null) { b.appendNull(); continue; }
    b.append(s.replace(compileRegex("regexp_replace", p, "gu"), javaReplacement(r)));
  }
  return b.finish();
}

/** Java's String.split(regex, limit) semantics (limit <= 0: all parts, trailing empty kept as Spark does). */
export function splitByRegex(s: string, re: RegExp, limit: number): string[] {
  const parts: string[] = [];
  let from = 0;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((limit <= 0 || parts.length < limit - 1) && (m = re.exec(s)) !== null) {
    if (m[0].length === 0) {
      // A zero-width match splits between characters, never at the very start.
      if (m.index >= s.length) break;
      if (m.index === 0) { re.lastIndex = m.index + 1; continue; }
      parts.push(s.slice(from, m.index));
      from = m.index;
      re.lastIndex = m.index + 1;
      continue;
    }
    parts.push(s.slice(from, m.index));
    from = m.index + m[0].length;
  }
  parts.push(s.slice(from));
  return parts;
}

function splitKernel(args: readonly Column[], ctx: KernelContext): Column {
  const strs = strings(args[0]!);
  const pats = strings(args[1]!);
  const lim = args[2] as (Column & { values: Int32Array; validity: Uint8Array | undefined }) | undefined;
  const out = new Array<LiteralValue>(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    const s = strs[i]; const p = pats[i];
    if (s == null || p == null || (lim && (lim.type.kind !== "int32" || !isValid(lim.validity, i)))) { out[i] = null; continue; }
    out[i] = splitByRegex(s, compileRegex("split", p, "gu"), lim ? lim.values[i]! : -1);
  }
  return buildColumn(Types.list(Types.string), out);
}

function doc(signature: string, description: string, example: string) {
  return { signature, description, example };
}

export const regexFunctions: readonly FunctionDef[] = [
  simpleFunction({
    name: "like", params: ["string", "string"], result: Types.bool, perValueOfFirstArg: true,
    doc: doc("like(str: string, pattern: string) -> bool", "SQL LIKE: `%` matches any run of characters, `_` exactly one, `\\` escapes. Matches the whole string. Null gives null.", `col("email").like("%@example.com")`),
    kernel: likeKernel,
  }),
  simpleFunction({
    name: "rlike", params: ["string", "string"], result: Types.bool, perValueOfFirstArg: true,
    doc: doc("rlike(str: string, regex: string) -> bool", "True when the regular expression matches anywhere in `str` (anchor with ^...$ for a full match). Null gives null.", `col("phone").rlike("^\\\\+41")`),
    kernel: (args, ctx) => boolByPattern(args, ctx, (p) => compileRegex("rlike", p)),
  }),
  simpleFunction({
    name: "regexp_extract", params: ["string", "string", "int32"], optional: 1, result: Types.string, perValueOfFirstArg: true,
    doc: doc("regexp_extract(str: string, regex: string, group?: int32 = 1) -> string",
      "The text of capture `group` (0 = whole match) of the first match; \"\" when nothing matches. Null gives null.",
      `F.regexpExtract(col("url"), "id=(\\\\d+)", 1)  // "a?id=42" -> "42"`),
    kernel: regexpExtractKernel,
  }),
  simpleFunction({
    name: "regexp_replace", params: ["string", "string", "string"], result: Types.string, perValueOfFirstArg: true,
    doc: doc("regexp_replace(str: string, regex: string, replacement: string) -> string",
      "Replaces every match; `$1` in the replacement inserts capture 1. Null in any argument gives null.",
      `F.regexpReplace(col("phone"), "[^0-9]", "")  // "(044) 12" -> "04412"`),
    kernel: regexpReplaceKernel,
  }),
  simpleFunction({
    name: "split", params: ["string", "string", "int32"], optional: 1, result: Types.list(Types.string), perValueOfFirstArg: true,
    doc: doc("split(str: string, regex: string, limit?: int32 = -1) -> list<string>",
      "Splits around matches of the regex; with limit > 0 at most `limit` parts, the last holding the rest. Null gives null.",
      `F.split(col("tags"), ",")  // "a,b,,c" -> ["a","b","","c"]`),
    kernel: splitKernel,
  }),
];
