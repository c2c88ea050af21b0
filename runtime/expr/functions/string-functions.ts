/**
 * String functions over UTF-8 bytes. ASCII values take byte loops; other values decode one at a
 * time. Lengths and positions count code points (Spark's UTF8String semantics), positions are 1-based.
 */
import type { Column } from "../../batch/column.js";
import { fixedColumn } from "../kernels/columns.js";
import { mapString } from "../kernels/map.js";
import {
  advanceCodePoints, codePointCount, endOf, readerOf, startOf, StringBuilder, type StringReader,
} from "../kernels/strings.js";
import { allNullBitmap, andAllValidity, isValid, setValid } from "../kernels/validity.js";
import { Types } from "../types.js";
import type { FunctionDef, KernelContext } from "./function-def.js";
import { simpleFunction } from "./signature.js";

const MAX_INT = 2147483647;

/** Byte-wise case mapping when the whole column is ASCII (offsets reused), else per value. */
function caseMap(arg: Column, upper: boolean): Column {
  const r = readerOf(arg);
  if (!r) return mapString(arg, (s) => s);
  let ascii = true;
  for (let i = 0; i < r.bytes.length; i++) if (r.bytes[i]! >= 0x80) { ascii = false; break; }
  if (!ascii || r.codes) return mapString(arg, upper ? (s) => s.toUpperCase() : (s) => s.toLowerCase());
  const out = new Uint8Array(r.bytes.length);
  const lo = upper ? 0x61 : 0x41;
  const hi = upper ? 0x7a : 0x5a;
  for (let i = 0; i < out.length; i++) {
    const b = r.bytes[i]!;
    out[i] = b >= lo && b <= hi ? b ^ 0x20 : b;
  }
  return { type: Types.string, length: arg.length, encoding: "utf8", offsets: r.offsets, bytes: out, validity: r.validity } as Column;
}

const SPACE = 0x20;

function trimKernel(left: boolean, right: boolean) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    if (args.length > 1) {
      // trim(str, chars): remove any of `chars` from the ends (JS strings; rare).
      const chars = ctx.constants[1];
      return mapTwoStrings(args[0]!, args[1]!, ctx.length, (s, set) => trimChars(s, typeof chars === "string" ? chars : set, left, right));
    }
    const r = readerOf(args[0]!);
    const b = new StringBuilder(ctx.length);
    for (let i = 0; i < ctx.length; i++) {
      if (!r || !isValid(r.validity, i)) { b.appendNull(); continue; }
      let s = startOf(r, i);
      let e = endOf(r, i);
      if (left) while (s < e && r.bytes[s] === SPACE) s++;
      if (right) while (e > s && r.bytes[e - 1] === SPACE) e--;
      b.appendBytes(r.bytes, s, e);
    }
    return b.finish();
  };
}

function trimChars(s: string, set: string, left: boolean, right: boolean): string {
  const chars = [...s];
  let a = 0;
  let z = chars.length;
  if (left) while (a < z && set.includes(chars[a]!)) a++;
  if (right) while (z > a && set.includes(chars[z - 1]!)) z--;
  return chars.slice(a, z).join("");
}

/** Two string arguments -> string, per value (both decoded). */
function mapTwoStrings(a: Column, b: Column, n: number, fn: (x: string, y: string) => string | null): Column {
  const ra = readerOf(a);
  const rb = readerOf(b);
  const out = new StringBuilder(n);
  const dec = new TextDecoder();
  for (let i = 0; i < n; i++) {
    if (!ra || !rb || !isValid(ra.validity, i) || !isValid(rb.validity, i)) { out.appendNull(); continue; }
    const x = dec.decode(ra.bytes.subarray(startOf(ra, i), endOf(ra, i)));
    const y = dec.decode(rb.bytes.subarray(startOf(rb, i), endOf(rb, i)));
    out.appendOrNull(fn(x, y));
  }
  return out.finish();
}

function int32Values(c: Column | undefined): { values: Int32Array; validity: Uint8Array | undefined } | undefined {
  if (!c || c.type.kind !== "int32") return undefined;
  return c as Column & { values: Int32Array; validity: Uint8Array | undefined };
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

function substringKernel(args: readonly Column[], ctx: KernelContext): Column {
  const r = readerOf(args[0]!);
  const pos = int32Values(args[1]);
  const len = int32Values(args[2]);
  const p0 = ctx.constants[1];
  const l0 = args.length > 2 ? ctx.constants[2] : MAX_INT;
  if (r && !r.codes && typeof p0 === "number" && p0 > 0 && typeof l0 === "number" && isAscii(r.bytes)) {
    // ASCII text with constant positions: characters are bytes, so cut by offsets directly.
    const b = new StringBuilder(ctx.length, Math.min(r.bytes.length, ctx.length * Math.max(0, Math.min(l0, 64))) + 16);
    for (let i = 0; i < ctx.length; i++) {
      if (!isValid(r.validity, i)) { b.appendNull(); continue; }
      const s = r.offsets[i]!;
      const e = r.offsets[i + 1]!;
      const from = Math.min(s + p0 - 1, e);
      b.appendBytes(r.bytes, from, l0 <= 0 ? from : Math.min(e, from + l0));
    }
    return b.finish();
  }
  const b = new StringBuilder(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    if (!r || !pos || !isValid(r.validity, i) || !isValid(pos.validity, i) || (args.length > 2 && (!len || !isValid(len.validity, i)))) {
      b.appendNull();
      continue;
    }
    const s = startOf(r, i);
    const e = endOf(r, i);
    const p = pos.values[i]!;
    const l = len ? len.values[i]! : MAX_INT;
    const chars = p < 0 ? codePointCount(r.bytes, s, e) : 0;
    // Spark: pos > 0 is 1-based, pos < 0 counts from the end, pos = 0 acts like 1.
    const start = p > 0 ? p - 1 : p < 0 ? chars + p : 0;
    const end = l <= 0 ? start : start + Math.min(l, MAX_INT - Math.max(start, 0));
    const from = Math.max(start, 0);
    if (end <= from) { b.appendBytes(r.bytes, s, s); continue; }
    const bs = advanceCodePoints(r.bytes, s, e, from);
    const be = advanceCodePoints(r.bytes, bs, e, end - from);
    b.appendBytes(r.bytes, bs, be);
  }
  return b.finish();
}

function concatKernel(args: readonly Column[], ctx: KernelContext): Column {
  const readers = args.map(readerOf);
  const validity = andAllValidity(ctx.length, readers.map((r) => (r ? r.validity : allNullBitmap(ctx.length))));
  const b = new StringBuilder(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    if (!isValid(validity, i)) { b.appendNull(); continue; }
    appendJoined(b, readers as StringReader[], i, undefined, undefined);
  }
  return b.finish();
}

/** Appends the concatenation of row i of every reader, skipping nulls, with `sep` between values. */
function appendJoined(b: StringBuilder, readers: readonly (StringReader | undefined)[], i: number, sep: StringReader | undefined, sepRow: number | undefined): void {
  const sepS = sep && sepRow !== undefined ? startOf(sep, sepRow) : 0;
  const sepE = sep && sepRow !== undefined ? endOf(sep, sepRow) : 0;
  let first = true;
  for (let a = 0; a < readers.length; a++) {
    const r = readers[a];
    if (!r || !isValid(r.validity, i)) continue;
    if (!first && sep) b.appendPart(sep.bytes, sepS, sepE);
    first = false;
    b.appendPart(r.bytes, startOf(r, i), endOf(r, i));
  }
  b.endValue();
}

function concatWsKernel(args: readonly Column[], ctx: KernelContext): Column {
  const sep = readerOf(args[0]!);
  const readers = args.slice(1).map(readerOf);
  const b = new StringBuilder(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    if (!sep || !isValid(sep.validity, i)) { b.appendNull(); continue; }
    appendJoined(b, readers, i, sep, i);
  }
  return b.finish();
}

function lengthKernel(args: readonly Column[], ctx: KernelContext): Column {
  const r = readerOf(args[0]!);
  const out = new Int32Array(ctx.length);
  if (!r) return fixedColumn(Types.int32, out, allNullBitmap(ctx.length));
  for (let i = 0; i < ctx.length; i++) out[i] = codePointCount(r.bytes, startOf(r, i), endOf(r, i));
  return fixedColumn(Types.int32, out, r.validity);
}

/** Byte comparison of row i of `r` against row i of `p` at the start, end, or anywhere. */
function matchKernel(where: "start" | "end" | "any") {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const r = readerOf(args[0]!);
    const p = readerOf(args[1]!);
    const out = new Uint8Array(ctx.length);
    const validity = allNullBitmap(ctx.length);
    if (!r || !p) return fixedColumn(Types.bool, out, validity);
    for (let i = 0; i < ctx.length; i++) {
      if (!isValid(r.validity, i) || !isValid(p.validity, i)) continue;
      setValid(validity, i);
      const s = startOf(r, i); const e = endOf(r, i);
      const ps = startOf(p, i); const pe = endOf(p, i);
      const pl = pe - ps;
      if (pl > e - s) continue;
      const first = where === "end" ? e - pl : s;
      const last = where === "any" ? e - pl : first;
      for (let at = first; at <= last; at++) {
        let k = 0;
        while (k < pl && r.bytes[at + k] === p.bytes[ps + k]) k++;
        if (k === pl) { out[i] = 1; break; }
      }
    }
    return fixedColumn(Types.bool, out, validity);
  };
}

function doc(signature: string, description: string, example: string) {
  return { signature, description, example };
}

export const stringFunctions: readonly FunctionDef[] = [
  simpleFunction({
    name: "lower", params: ["string"], result: Types.string, perValueOfFirstArg: true,
    doc: doc("lower(str: string) -> string", "Lower-cases every character (Unicode aware). Null gives null.", `F.lower(col("city"))  // "Zürich" -> "zürich"`),
    kernel: (args) => caseMap(args[0]!, false),
  }),
  simpleFunction({
    name: "upper", params: ["string"], result: Types.string, perValueOfFirstArg: true,
    doc: doc("upper(str: string) -> string", "Upper-cases every character (Unicode aware). Null gives null.", `F.upper(col("code"))  // "ab" -> "AB"`),
    kernel: (args) => caseMap(args[0]!, true),
  }),
  simpleFunction({
    name: "trim", params: ["string", "string"], optional: 1, result: Types.string, perValueOfFirstArg: true,
    doc: doc("trim(str: string, chars?: string) -> string", "Removes spaces (or any of `chars`) from both ends. Null gives null.", `F.trim(col("name"))  // "  ann " -> "ann"`),
    kernel: trimKernel(true, true),
  }),
  simpleFunction({
    name: "ltrim", params: ["string", "string"], optional: 1, result: Types.string, perValueOfFirstArg: true,
    doc: doc("ltrim(str: string, chars?: string) -> string", "Removes leading spaces (or any of `chars`). Null gives null.", `F.ltrim(col("name"))  // "  ann " -> "ann "`),
    kernel: trimKernel(true, false),
  }),
  simpleFunction({
    name: "rtrim", params: ["string", "string"], optional: 1, result: Types.string, perValueOfFirstArg: true,
    doc: doc("rtrim(str: string, chars?: string) -> string", "Removes trailing spaces (or any of `chars`). Null gives null.", `F.rtrim(col("name"))  // "  ann " -> "  ann"`),
    kernel: trimKernel(false, true),
  }),
  simpleFunction({
    name: "substring", params: ["string", "int32", "int32"], optional: 1, result: Types.string, perValueOfFirstArg: true,
    doc: doc("substring(str: string, pos: int32, len?: int32) -> string",
      "Characters from 1-based `pos` (negative counts from the end, 0 acts as 1), at most `len` of them (default: to the end). Any null argument gives null.",
      `F.substring(col("sku"), 1, 3)  // "ABC-123" -> "ABC"; F.substring(col("sku"), -3) -> "123"`),
    kernel: substringKernel,
  }),
  simpleFunction({
    name: "concat", params: ["string"], variadic: true, result: Types.string,
    doc: doc("concat(...strs: string[]) -> string", "Joins the values end to end. Any null argument gives null (use concat_ws to skip nulls).", `F.concat(col("first"), lit(" "), col("last"))`),
    kernel: concatKernel,
  }),
  simpleFunction({
    name: "concat_ws", params: ["string", "string"], variadic: true, result: Types.string,
    doc: doc("concat_ws(sep: string, ...strs: string[]) -> string", "Joins the non-null values with `sep` between them; a null separator gives null.", `F.concatWs("-", col("year"), col("month"))  // "2024-05"`),
    kernel: concatWsKernel,
  }),
  simpleFunction({
    name: "length", params: ["string"], result: Types.int32, perValueOfFirstArg: true,
    doc: doc("length(str: string) -> int32", "Number of characters (Unicode code points, not bytes). Null gives null.", `F.length(col("name"))  // "née" -> 3`),
    kernel: lengthKernel,
  }),
  simpleFunction({
    name: "startswith", params: ["string", "string"], result: Types.bool, perValueOfFirstArg: true,
    doc: doc("startswith(str: string, prefix: string) -> bool", "True when `str` begins with `prefix`. Null in either gives null.", `col("url").startsWith("https://")`),
    kernel: matchKernel("start"),
  }),
  simpleFunction({
    name: "endswith", params: ["string", "string"], result: Types.bool, perValueOfFirstArg: true,
    doc: doc("endswith(str: string, suffix: string) -> bool", "True when `str` ends with `suffix`. Null in either gives null.", `col("file").endsWith(".csv")`),
    kernel: matchKernel("end"),
  }),
  simpleFunction({
    name: "contains", params: ["string", "string"], result: Types.bool, perValueOfFirstArg: true,
    doc: doc("contains(str: string, part: string) -> bool", "True when `part` occurs in `str` (case-sensitive). Null in either gives null.", `col("title").contains("sale")`),
    kernel: matchKernel("any"),
  }),
];
