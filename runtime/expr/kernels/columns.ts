/**
 * Making and reading columns of any type: typed-array allocation, literal broadcast, and the
 * slow generic paths (JS value per row) used only by UDFs and rarely-hot functions.
 */
import type { Column, Validity } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import type { DataType } from "../types.js";
import { StringBuilder, stringAt, type StringColumn } from "./strings.js";
import { allNullBitmap, isValid, setValid } from "./validity.js";

export type TypedValues = Uint8Array | Int32Array | BigInt64Array | Float64Array;

/** The typed array that holds `type` (see runtime/expr/types.ts), or undefined for string/list/null. */
export function allocValues(type: DataType, length: number): TypedValues | undefined {
  switch (type.kind) {
    case "bool": return new Uint8Array(length);
    case "int32": case "date": return new Int32Array(length);
    case "int64": case "timestamp": case "decimal": return new BigInt64Array(length);
    case "float64": return new Float64Array(length);
    default: return undefined;
  }
}

/** Wraps a typed array as a column of `type`; the caller guarantees the array matches the type. */
export function fixedColumn(type: DataType, values: TypedValues, validity: Validity): Column {
  return { type, length: values.length, values, validity } as Column;
}

/** A column of `type` where every row is null. */
export function nullColumn(type: DataType, length: number): Column {
  if (type.kind === "null") return { type, length };
  if (type.kind === "string") {
    return { type, length, encoding: "utf8", offsets: new Int32Array(length + 1), bytes: new Uint8Array(0), validity: allNullBitmap(length) } as Column;
  }
  if (type.kind === "list") {
    return { type, length, offsets: new Int32Array(length + 1), child: nullColumn(type.element, 0), validity: allNullBitmap(length) } as Column;
  }
  return fixedColumn(type, allocValues(type, length)!, allNullBitmap(length));
}

const encoder = new TextEncoder();

/** A literal repeated `length` times. Strings become a one-entry dictionary (no byte copies). */
export function literalColumn(value: LiteralValue, type: DataType, length: number): Column {
  if (value === null || type.kind === "null") return nullColumn(type, length);
  switch (type.kind) {
    case "bool": return fixedColumn(type, new Uint8Array(length).fill(value ? 1 : 0), undefined);
    case "int32": case "date": return fixedColumn(type, new Int32Array(length).fill(Number(value)), undefined);
    case "float64": return fixedColumn(type, new Float64Array(length).fill(Number(value)), undefined);
    case "int64": case "timestamp": case "decimal":
      return fixedColumn(type, new BigInt64Array(length).fill(typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)))), undefined);
    case "string": {
      const bytes = encoder.encode(String(value));
      const dictionary = { type, length: 1, encoding: "utf8", offsets: Int32Array.of(0, bytes.length), bytes, validity: undefined };
      return { type, length, encoding: "dict", codes: new Int32Array(length), dictionary, validity: undefined } as Column;
    }
    case "list": return buildColumn(type, new Array<LiteralValue>(length).fill(value));
  }
}

/** Row i as a JS value (bigint for int64/timestamp/decimal-unscaled, days for date). */
export function valueAt(c: Column, i: number): LiteralValue {
  if (c.type.kind === "null" || !("validity" in c) || !isValid(c.validity, i)) return null;
  switch (c.type.kind) {
    case "bool": return (c as Column & { values: Uint8Array }).values[i] === 1;
    case "string": return stringAt(c as StringColumn, i);
    case "list": {
      const l = c as Column & { offsets: Int32Array; child: Column };
      const out: LiteralValue[] = [];
      for (let j = l.offsets[i]!; j < l.offsets[i + 1]!; j++) out.push(valueAt(l.child, j));
      return out;
    }
    default: return (c as Column & { values: Int32Array | Float64Array | BigInt64Array }).values[i]!;
  }
}

/** Builds a column of `type` from JS values (null = null row). Slow path: UDFs and lists. */
export function buildColumn(type: DataType, values: readonly LiteralValue[]): Column {
  const n = values.length;
  if (type.kind === "null") return { type, length: n };
  if (type.kind === "string") {
    const b = new StringBuilder(n);
    for (const v of values) b.appendOrNull(v === null ? null : String(v));
    return b.finish();
  }
  let validity: Uint8Array | undefined;
  const markNull = (i: number): void => {
    if (!validity) { validity = allNullBitmap(n); for (let j = 0; j < n; j++) setValid(validity, j); }
    validity[i >> 3]! &= ~(1 << (i & 7));
  };
  if (type.kind === "list") {
    const offsets = new Int32Array(n + 1);
    const flat: LiteralValue[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) markNull(i);
      else if (Array.isArray(v)) flat.push(...(v as LiteralValue[]));
      else flat.push(v as LiteralValue);
      offsets[i + 1] = flat.length;
    }
    return { type, length: n, offsets, child: buildColumn(type.element, flat), validity } as Column;
  }
  const out = allocValues(type, n)!;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) { markNull(i); continue; }
    if (out instanceof BigInt64Array) out[i] = typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)));
    else if (out instanceof Uint8Array) out[i] = v ? 1 : 0;
    else out[i] = Number(v);
  }
  return fixedColumn(type, out, validity);
}

export function validityOf(c: Column): Validity {
  return c.type.kind === "null" ? allNullBitmap(c.length) : (c as { validity: Validity }).validity;
}
