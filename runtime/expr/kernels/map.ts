/**
 * Per-row mapping helpers that function kernels build on. Each loops once over typed arrays and
 * passes nulls through (null in, null out). `mapRows` is the generic slow path (JS values per row)
 * for functions that are rarely hot; typed helpers keep the common ones monomorphic.
 */
import type { Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import { type DataType, Types } from "../types.js";
import { allocValues, buildColumn, fixedColumn, validityOf, valueAt } from "./columns.js";
import { StringBuilder, stringsOf, type StringColumn } from "./strings.js";
import { allNullBitmap, andAllValidity, isValid, setValid } from "./validity.js";

type F64Col = Extract<Column, { values: Float64Array }>;

/** float64 -> float64; `fn` returning null makes the row null (e.g. log of a negative number). */
export function mapFloat64(arg: Column, fn: (x: number) => number | null): Column {
  const n = arg.length;
  if (arg.type.kind === "null") return fixedColumn(Types.float64, new Float64Array(n), allNullBitmap(n));
  const src = (arg as F64Col).values;
  const inValid = (arg as F64Col).validity;
  const out = new Float64Array(n);
  let validity: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    if (!isValid(inValid, i)) continue;
    const r = fn(src[i]!);
    if (r === null) {
      if (!validity) validity = copyOrAllValid(inValid, n);
      validity[i >> 3]! &= ~(1 << (i & 7));
    } else out[i] = r;
  }
  return fixedColumn(Types.float64, out, validity ?? (inValid && inValid.slice()));
}

function copyOrAllValid(v: Uint8Array | undefined, n: number): Uint8Array {
  if (v) return v.slice();
  const out = allNullBitmap(n);
  for (let i = 0; i < n; i++) setValid(out, i);
  return out;
}

/** string -> string, one JS string per value (dictionary inputs are handled by the compiler). */
export function mapString(arg: Column, fn: (s: string) => string | null): Column {
  const vals = arg.type.kind === "null" ? new Array<null>(arg.length).fill(null) : stringsOf(arg as StringColumn);
  const b = new StringBuilder(arg.length);
  for (const s of vals) b.appendOrNull(s === null ? null : fn(s));
  return b.finish();
}

/** string -> fixed-width type (int32, bool, date, ...), `fn` returning null makes the row null. */
export function mapStringToFixed(arg: Column, type: DataType, fn: (s: string) => number | bigint | boolean | null): Column {
  const n = arg.length;
  const out = allocValues(type, n)!;
  if (arg.type.kind === "null") return fixedColumn(type, out, allNullBitmap(n));
  const vals = stringsOf(arg as StringColumn);
  const validity = allNullBitmap(n);
  for (let i = 0; i < n; i++) {
    const s = vals[i];
    if (s === null || s === undefined) continue;
    const r = fn(s);
    if (r === null) continue;
    setValid(validity, i);
    if (out instanceof BigInt64Array) out[i] = r as bigint;
    else out[i] = typeof r === "boolean" ? (r ? 1 : 0) : (r as number);
  }
  return fixedColumn(type, out, validity);
}

/**
 * Generic slow path: JS values per row. With `nullIn` (default) any null argument gives null
 * without calling `fn`.
 */
export function mapRows(
  args: readonly Column[], length: number, resultType: DataType,
  fn: (values: LiteralValue[]) => LiteralValue, nullIn = true,
): Column {
  const out = new Array<LiteralValue>(length);
  const validity = nullIn ? andAllValidity(length, args.map(validityOf)) : undefined;
  const row = new Array<LiteralValue>(args.length);
  for (let i = 0; i < length; i++) {
    if (nullIn && !isValid(validity, i)) { out[i] = null; continue; }
    for (let a = 0; a < args.length; a++) row[a] = valueAt(args[a]!, i);
    out[i] = fn(row);
  }
  return buildColumn(resultType, out);
}

/** A numeric column (int32/int64/float64/decimal-unscaled) read as JS numbers. */
export function numberAt(c: Column, i: number): number {
  return Number((c as Column & { values: Int32Array | Float64Array | BigInt64Array }).values[i]);
}
