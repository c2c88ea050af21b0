/**
 * Plain JS rows at the edge of the engine (createDataFrame from objects, collect, show). Inside
 * the engine data never becomes row objects.
 *
 * Value mapping (documented in docs/executor.md, "Values at the edge"):
 *   int32, float64            number
 *   int64                     number when |v| <= 2^53-1, otherwise bigint (exact either way)
 *   decimal                   number (unscaled / 10^scale)
 *   bool                      boolean
 *   string                    string
 *   date                      Date at 00:00 UTC of that day
 *   timestamp                 Date (microseconds below a millisecond are dropped)
 *   list                      array of the element values
 *   null (any type)           null
 * rowsToBatches accepts these and also: bigint for int32/float64/int64, number for int64,
 * date as days-since-epoch number or "YYYY-MM-DD", timestamp as bigint microseconds, epoch
 * milliseconds number or an ISO string; undefined is null.
 */
import type { DataType, Schema } from "../expr/types.js";
import { typeToString } from "../expr/types.js";
import type { Batch, Column } from "./column.js";
import type { ListColumn, NullableColumn, StringColumn } from "./kinds.js";
import { isValid } from "./validity.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MS_PER_DAY = 86_400_000;

function conversionError(value: unknown, type: DataType, column: string, row: number): Error {
  const shown = typeof value === "bigint" ? `${value}n` : typeof value === "string" ? JSON.stringify(value) : String(value);
  return new TypeError(`Row ${row}, column "${column}": cannot store ${shown} (${typeof value}) as ${typeToString(type)}; convert the value or declare the column with a matching type.`);
}

function toDays(v: unknown): number | undefined {
  if (v instanceof Date) return Math.floor(v.getTime() / MS_PER_DAY);
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v.slice(0, 10) + "T00:00:00Z");
    return Number.isNaN(t) ? undefined : t / MS_PER_DAY;
  }
  return undefined;
}

function toMicros(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
  if (typeof v === "number" && Number.isFinite(v)) return BigInt(Math.round(v * 1000));
  if (typeof v === "string") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : BigInt(t) * 1000n;
  }
  return undefined;
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

/** Builds one column from JS values (the edge only: rows in, columns out). */
export function columnFromValues(values: readonly unknown[], type: DataType, name = "value"): Column {
  const n = values.length;
  if (type.kind === "null") return { type: type as DataType & { kind: "null" }, length: n };
  const validity = new Uint8Array((n + 7) >>> 3);
  let nulls = 0;
  const mark = (i: number, v: unknown): boolean => {
    if (v === null || v === undefined) {
      nulls++;
      return false;
    }
    validity[i >>> 3]! |= 1 << (i & 7);
    return true;
  };
  const finish = (): Uint8Array | undefined => (nulls === 0 ? undefined : validity);
  switch (type.kind) {
    case "bool": {
      const out = new Uint8Array(n);
      values.forEach((v, i) => {
        if (!mark(i, v)) return;
        if (typeof v !== "boolean") throw conversionError(v, type, name, i);
        out[i] = v ? 1 : 0;
      });
      return { type: type as DataType & { kind: "bool" }, length: n, values: out, validity: finish() };
    }
    case "int32":
    case "date": {
      const out = new Int32Array(n);
      values.forEach((v, i) => {
        if (!mark(i, v)) return;
        const x = type.kind === "date" ? toDays(v) : typeof v === "bigint" ? Number(v) : v;
        if (typeof x !== "number" || !Number.isInteger(x) || x < -2147483648 || x > 2147483647) throw conversionError(v, type, name, i);
        out[i] = x;
      });
      return { type: type as DataType & { kind: "int32" | "date" }, length: n, values: out, validity: finish() };
    }
    case "int64":
    case "timestamp":
    case "decimal": {
      const out = new BigInt64Array(n);
      const scale = type.kind === "decimal" ? type.scale : 0;
      values.forEach((v, i) => {
        if (!mark(i, v)) return;
        let x: bigint | undefined;
        if (type.kind === "timestamp") x = toMicros(v);
        else if (type.kind === "decimal") x = typeof v === "number" ? BigInt(Math.round(v * 10 ** scale)) : typeof v === "bigint" ? v : undefined;
        else x = toBigInt(v);
        if (x === undefined) throw conversionError(v, type, name, i);
        out[i] = x;
      });
      return { type: type as DataType & { kind: "int64" | "timestamp" | "decimal" }, length: n, values: out, validity: finish() };
    }
    case "float64": {
      const out = new Float64Array(n);
      values.forEach((v, i) => {
        if (!mark(i, v)) return;
        if (typeof v === "number") out[i] = v;
        else if (typeof v === "bigint") out[i] = Number(v);
        else throw conversionError(v, type, name, i);
      });
      return { type: type as DataType & { kind: "float64" }, length: n, values: out, validity: finish() };
    }
    case "string": {
      const parts: Uint8Array[] = [];
      const offsets = new Int32Array(n + 1);
      let total = 0;
      values.forEach((v, i) => {
        if (mark(i, v)) {
          if (typeof v !== "string") throw conversionError(v, type, name, i);
          const b = encoder.encode(v);
          parts.push(b);
          total += b.length;
        }
        offsets[i + 1] = total;
      });
      const bytes = new Uint8Array(total);
      let pos = 0;
      for (const p of parts) {
        bytes.set(p, pos);
        pos += p.length;
      }
      return { type: type as DataType & { kind: "string" }, length: n, encoding: "utf8", offsets, bytes, validity: finish() };
    }
    case "list": {
      const offsets = new Int32Array(n + 1);
      const flat: unknown[] = [];
      values.forEach((v, i) => {
        if (mark(i, v)) {
          if (!Array.isArray(v)) throw conversionError(v, type, name, i);
          flat.push(...(v as unknown[]));
        }
        offsets[i + 1] = flat.length;
      });
      return { type: type as DataType & { kind: "list" }, length: n, offsets, child: columnFromValues(flat, type.element, name), validity: finish() };
    }
  }
}

/** An empty batch with the schema's columns (zero rows). */
export function emptyBatch(schema: Schema): Batch {
  return { schema, length: 0, columns: schema.fields.map((f) => columnFromValues([], f.type, f.name)) };
}

export function rowsToBatches(rows: readonly Record<string, unknown>[], schema: Schema, batchSize = 65_536): Batch[] {
  const out: Batch[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const chunk = rows.slice(start, start + batchSize);
    const columns = schema.fields.map((f) => {
      try {
        return columnFromValues(chunk.map((r) => r[f.name]), f.type, f.name);
      } catch (e) {
        // Re-number the row within the whole input, not the chunk.
        if (e instanceof TypeError && start > 0) throw new TypeError(e.message.replace(/^Row (\d+)/, (_m, r: string) => `Row ${Number(r) + start}`));
        throw e;
      }
    });
    out.push({ schema, length: chunk.length, columns });
  }
  return out;
}

/** The JS value of row i of a column (the edge only; see the mapping at the top of this file). */
export function valueAt(column: Column, i: number): unknown {
  if (column.type.kind === "null" || !isValid((column as NullableColumn).validity, i)) return null;
  const c = column as Column & { validity: Uint8Array | undefined };
  switch (c.type.kind) {
    case "bool":
      return (c as { values: Uint8Array }).values[i] !== 0;
    case "int32":
    case "float64":
      return (c as { values: Int32Array | Float64Array }).values[i]!;
    case "date":
      return new Date((c as { values: Int32Array }).values[i]! * MS_PER_DAY);
    case "int64": {
      const v = (c as { values: BigInt64Array }).values[i]!;
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
    case "timestamp": {
      const v = (c as { values: BigInt64Array }).values[i]!;
      // Floor division so times before 1970 round toward the past like the microsecond value.
      const ms = v >= 0n ? v / 1000n : -((-v + 999n) / 1000n);
      return new Date(Number(ms));
    }
    case "decimal":
      return Number((c as { values: BigInt64Array }).values[i]!) / 10 ** c.type.scale;
    case "string": {
      const s = c as StringColumn;
      if (s.encoding === "dict") return valueAt(s.dictionary, s.codes[i]!);
      return decoder.decode(s.bytes.subarray(s.offsets[i]!, s.offsets[i + 1]!));
    }
    case "list": {
      const l = c as ListColumn;
      const out: unknown[] = [];
      for (let j = l.offsets[i]!; j < l.offsets[i + 1]!; j++) out.push(valueAt(l.child, j));
      return out;
    }
  }
}

export function batchesToRows(batches: readonly Batch[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const b of batches) {
    const names = b.schema.fields.map((f) => f.name);
    for (let i = 0; i < b.length; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) row[names[c]!] = valueAt(b.columns[c]!, i);
      out.push(row);
    }
  }
  return out;
}
