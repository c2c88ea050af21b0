/**
 * Casts between column types with Spark's non-ANSI semantics: text that does not parse gives null
 * (never an error), float -> int truncates and saturates, int64 -> int32 wraps, decimals round
 * HALF_UP and give null on overflow, dates <-> timestamps in UTC.
 */
import type { Column } from "../../batch/column.js";
import { type DataType, typesEqual, typeToString } from "../types.js";
import { allocValues, buildColumn, fixedColumn, nullColumn, valueAt } from "./columns.js";
import { formatDate, formatTimestamp, MICROS_PER_DAY, MICROS_PER_SECOND, parseDate, parseTimestamp, splitMicros } from "./datetime.js";
import { expandByCodes } from "./dictionary.js";
import { ExprCompileError } from "./errors.js";
import { divHalfUp, fitsDecimal, formatDecimal, formatDouble, parseDecimal, parseDouble, parseInteger } from "./number-format.js";
import { dictionaryOf, StringBuilder, stringsOf, type StringColumn } from "./strings.js";
import { allNullBitmap, isValid, setValid } from "./validity.js";
import type { LiteralValue } from "../ir.js";

type Fixed = Column & { values: Uint8Array | Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const I64_MAX_F = 9.223372036854776e18;

/** Whether `cast(from as to)` is supported (the analyzer can ask before planning). */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === "null" || typesEqual(from, to) || to.kind === "string") return true;
  if (from.kind === "list" || to.kind === "list") return from.kind === "list" && to.kind === "list" && canCast(from.element, to.element);
  if (to.kind === "null") return false;
  return true;
}

export function castColumn(c: Column, to: DataType): Column {
  const from = c.type;
  if (typesEqual(from, to)) return c;
  if (from.kind === "null") return nullColumn(to, c.length);
  if (!canCast(from, to)) {
    throw new ExprCompileError(`cannot cast ${typeToString(from)} to ${typeToString(to)}`);
  }
  if (from.kind === "string") {
    const s = c as StringColumn;
    if (s.encoding === "dict") return expandByCodes(s, castColumn(dictionaryOf(s), to));
    return fromString(s, to);
  }
  if (to.kind === "string") return toString(c);
  if (from.kind === "list" && to.kind === "list") {
    const l = c as Extract<Column, { child: Column }>;
    return { type: to, length: l.length, offsets: l.offsets, child: castColumn(l.child, to.element), validity: l.validity } as Column;
  }
  return fixedToFixed(c as Fixed, to);
}

/** Per-row conversion of a fixed-width column; `conv` returns null for "no value" (null out). */
function mapFixed(c: Fixed, to: DataType, conv: (v: number | bigint) => number | bigint | null): Column {
  const n = c.length;
  const out = allocValues(to, n)!;
  let validity: Uint8Array | undefined = c.validity ? c.validity.slice() : undefined;
  const src = c.values;
  for (let i = 0; i < n; i++) {
    if (!isValid(c.validity, i)) continue;
    const r = conv(src[i]!);
    if (r === null) {
      if (!validity) { validity = allNullBitmap(n); for (let j = 0; j < n; j++) setValid(validity, j); }
      validity[i >> 3]! &= ~(1 << (i & 7));
    } else if (out instanceof BigInt64Array) out[i] = typeof r === "bigint" ? r : BigInt(r);
    else out[i] = Number(r);
  }
  return fixedColumn(to, out, validity);
}

function saturateToBigInt(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= I64_MAX_F) return 2n ** 63n - 1n;
  if (x <= -I64_MAX_F) return -(2n ** 63n);
  return BigInt(Math.trunc(x));
}

function numberOf(from: DataType, v: number | bigint): number {
  if (from.kind === "decimal") return Number(v) / 10 ** from.scale;
  return Number(v);
}

/** Integer part of a value of `from` as a bigint (decimals truncate toward zero). */
function bigintOf(from: DataType, v: number | bigint): bigint {
  if (from.kind === "decimal") return (v as bigint) / 10n ** BigInt(from.scale);
  if (from.kind === "float64") return saturateToBigInt(v as number);
  return typeof v === "bigint" ? v : BigInt(v);
}

/** Widening casts that never produce null, as tight loops (they sit under mixed-type arithmetic). */
function wideningCast(c: Fixed, to: DataType): Column | undefined {
  const n = c.length;
  const from = c.type.kind;
  if (from === "int32" && to.kind === "float64") {
    const src = c.values as Int32Array;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i]!;
    return fixedColumn(to, out, c.validity);
  }
  if (from === "int32" && to.kind === "int64") {
    const src = c.values as Int32Array;
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!);
    return fixedColumn(to, out, c.validity);
  }
  if (from === "int64" && to.kind === "float64") {
    const src = c.values as BigInt64Array;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(src[i]!);
    return fixedColumn(to, out, c.validity);
  }
  if (from === "date" && to.kind === "timestamp") {
    const src = c.values as Int32Array;
    const out = new BigInt64Array(n);
    const day = BigInt(MICROS_PER_DAY);
    for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!) * day;
    return fixedColumn(to, out, c.validity);
  }
  return undefined;
}

function fixedToFixed(c: Fixed, to: DataType): Column {
  const fast = wideningCast(c, to);
  if (fast) return fast;
  const from = c.type;
  // Dates and timestamps first: they only convert to each other (and timestamps to/from numbers as seconds).
  if (from.kind === "date") {
    if (to.kind === "timestamp") return mapFixed(c, to, (d) => BigInt(d) * BigInt(MICROS_PER_DAY));
    return nullColumn(to, c.length); // Spark: a date is not a number
  }
  if (from.kind === "timestamp") {
    if (to.kind === "date") { const parts = [0, 0]; return mapFixed(c, to, (m) => { splitMicros(m, parts); return parts[0]!; }); }
    if (to.kind === "float64") return mapFixed(c, to, (m) => Number(m) / MICROS_PER_SECOND);
    if (to.kind === "bool") return nullColumn(to, c.length);
    const secs = mapFixed(c, { kind: "int64" }, (m) => floorDivBig(m as bigint, BigInt(MICROS_PER_SECOND)));
    return fixedToFixed(secs as Fixed, to);
  }
  if (to.kind === "date") return nullColumn(to, c.length);
  if (to.kind === "timestamp") {
    if (from.kind === "bool") return nullColumn(to, c.length);
    return mapFixed(c, to, (v) => (from.kind === "float64" || from.kind === "decimal"
      ? saturateToBigInt(numberOf(from, v) * MICROS_PER_SECOND)
      : bigintOf(from, v) * BigInt(MICROS_PER_SECOND)));
  }
  if (from.kind === "bool") {
    if (to.kind === "decimal") return mapFixed(c, to, (v) => BigInt(v) * 10n ** BigInt(to.scale));
    return mapFixed(c, to, (v) => (to.kind === "int64" ? BigInt(v) : Number(v)));
  }
  switch (to.kind) {
    case "bool":
      return mapFixed(c, to, (v) => (typeof v === "bigint" ? v !== 0n : v !== 0) ? 1 : 0);
    case "int32":
      if (from.kind === "float64") {
        return mapFixed(c, to, (v) => (Number.isNaN(v) ? 0 : Math.trunc(Math.min(INT32_MAX, Math.max(INT32_MIN, v as number)))));
      }
      return mapFixed(c, to, (v) => Number(BigInt.asIntN(32, bigintOf(from, v))));
    case "int64":
      return mapFixed(c, to, (v) => BigInt.asIntN(64, bigintOf(from, v)));
    case "float64":
      return mapFixed(c, to, (v) => numberOf(from, v));
    case "decimal": {
      const { precision, scale } = to;
      if (from.kind === "decimal") {
        const diff = scale - from.scale;
        return mapFixed(c, to, (v) => {
          const r = diff >= 0 ? (v as bigint) * 10n ** BigInt(diff) : divHalfUp(v as bigint, 10n ** BigInt(-diff));
          return fitsDecimal(r, precision) ? r : null;
        });
      }
      if (from.kind === "float64") {
        return mapFixed(c, to, (v) => (Number.isFinite(v as number) ? parseDecimal(String(v), precision, scale) : null));
      }
      return mapFixed(c, to, (v) => {
        const r = BigInt(v) * 10n ** BigInt(scale);
        return fitsDecimal(r, precision) ? r : null;
      });
    }
    default:
      throw new ExprCompileError(`cannot cast ${typeToString(from)} to ${typeToString(to)}`);
  }
}

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "0"]);

/**
 * Plain decimal integers ("-123", " 42") parsed straight from UTF-8 bytes; anything else (fractions,
 * exponents, overflow, words) goes to the text parser. Returns null for "not simple".
 */
function simpleIntAt(bytes: Uint8Array, start: number, end: number): number | null {
  let i = start;
  while (i < end && bytes[i] === 0x20) i++;
  let e = end;
  while (e > i && bytes[e - 1] === 0x20) e--;
  if (i === e) return null;
  let neg = false;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) { neg = bytes[i] === 0x2d; i++; }
  if (i === e || e - i > 15) return null;
  let v = 0;
  for (; i < e; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

function numbersFromUtf8(c: Extract<StringColumn, { encoding: "utf8" }>, to: DataType): Column | undefined {
  if (to.kind !== "int32" && to.kind !== "int64" && to.kind !== "float64") return undefined;
  const n = c.length;
  const out = allocValues(to, n)!;
  const validity = allNullBitmap(n);
  const parseSlow = stringParser(to);
  let slow: (string | null)[] | undefined;
  for (let i = 0; i < n; i++) {
    if (!isValid(c.validity, i)) continue;
    let v: LiteralValue = simpleIntAt(c.bytes, c.offsets[i]!, c.offsets[i + 1]!);
    if (v === null || (to.kind === "int32" && (v < -2147483648 || v > 2147483647))) {
      slow ??= stringsOf(c);
      v = parseSlow(slow[i]!);
      if (v === null) continue;
    }
    setValid(validity, i);
    if (out instanceof BigInt64Array) out[i] = typeof v === "bigint" ? v : BigInt(v as number);
    else (out as Float64Array)[i] = Number(v);
  }
  return fixedColumn(to, out, validity);
}

function fromString(c: StringColumn, to: DataType): Column {
  if (c.encoding === "utf8") {
    const fast = numbersFromUtf8(c, to);
    if (fast) return fast;
  }
  const strs = stringsOf(c);
  const parse = stringParser(to);
  const out = new Array<LiteralValue>(c.length);
  for (let i = 0; i < c.length; i++) {
    const s = strs[i];
    out[i] = s === null || s === undefined ? null : parse(s);
  }
  return buildColumn(to, out);
}

function stringParser(to: DataType): (s: string) => LiteralValue {
  switch (to.kind) {
    case "bool": return (s) => { const t = s.trim().toLowerCase(); return TRUE_WORDS.has(t) ? true : FALSE_WORDS.has(t) ? false : null; };
    case "int32": return (s) => { const v = parseInteger(s, -(2n ** 31n), 2n ** 31n - 1n); return v === null ? null : Number(v); };
    case "int64": return (s) => parseInteger(s);
    case "float64": return (s) => parseDouble(s);
    case "decimal": return (s) => parseDecimal(s, to.precision, to.scale);
    case "date": return (s) => parseDate(s);
    case "timestamp": return (s) => { const m = parseTimestamp(s); return m === null ? null : BigInt(m); };
    case "list": case "null": case "string":
      throw new ExprCompileError(`cannot cast string to ${typeToString(to)}`);
  }
}

/** Spark's text form of a value of `t`. */
export function formatValue(t: DataType, v: LiteralValue): string {
  if (v === null) return "null";
  switch (t.kind) {
    case "bool": return v ? "true" : "false";
    case "float64": return formatDouble(v as number);
    case "decimal": return formatDecimal(v as bigint, t.scale);
    case "date": return formatDate(v as number);
    case "timestamp": return formatTimestamp(v as bigint);
    case "list": return `[${(v as LiteralValue[]).map((e) => formatValue(t.element, e)).join(", ")}]`;
    default: return String(v);
  }
}

function toString(c: Column): Column {
  const t = c.type;
  const b = new StringBuilder(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = valueAt(c, i);
    if (v === null) b.appendNull();
    else b.append(formatValue(t, t.kind === "bool" ? v : v));
  }
  return b.finish();
}
