/**
 * Conversions between engine batches and apache-arrow Tables (createDataFrame(arrowTable), toArrow,
 * Arrow IPC files). Buffers are reused where the layouts agree (ints, floats, UTF-8, dictionary
 * codes); Arrow's bit-packed booleans and 128-bit decimals are converted.
 * apache-arrow slices a Data's value and offset buffers itself (Data.offset then only positions
 * bits: validity and booleans), so values are read from index 0 and bits from `offset`.
 * arrowToBatches returns VIEWS into the table's buffers (no copy): do not transfer them to another
 * thread (that would detach the table); registerTable copies them into shared memory.
 */
import * as arrow from "apache-arrow";
import type { DataType, Field, Schema } from "../expr/types.js";
import type { Batch, Column } from "./column.js";
import { columnFromValues } from "./rows.js";
import type { DictColumn, ListColumn, NullableColumn, StringColumn, Utf8Column, ValuesColumn } from "./kinds.js";

/** Our type for an Arrow type; undefined = not representable (the caller names the column). */
export function fromArrowType(t: arrow.DataType): DataType | undefined {
  if (arrow.DataType.isNull(t)) return { kind: "null" };
  if (arrow.DataType.isBool(t)) return { kind: "bool" };
  if (arrow.DataType.isInt(t)) return t.bitWidth === 64 || (t.bitWidth === 32 && !t.isSigned) ? { kind: "int64" } : { kind: "int32" };
  if (arrow.DataType.isFloat(t)) return { kind: "float64" };
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return { kind: "string" };
  if (arrow.DataType.isDictionary(t)) return arrow.DataType.isUtf8(t.dictionary) ? { kind: "string" } : fromArrowType(t.dictionary);
  if (arrow.DataType.isDate(t)) return { kind: "date" };
  if (arrow.DataType.isTimestamp(t)) return { kind: "timestamp" };
  if (arrow.DataType.isDecimal(t)) return { kind: "decimal", precision: t.precision, scale: t.scale };
  if (arrow.DataType.isList(t)) {
    const element = fromArrowType(t.children[0]!.type);
    return element === undefined ? undefined : { kind: "list", element };
  }
  return undefined;
}

export function toArrowType(t: DataType): arrow.DataType {
  switch (t.kind) {
    case "null":
      return new arrow.Null();
    case "bool":
      return new arrow.Bool();
    case "int32":
      return new arrow.Int32();
    case "int64":
      return new arrow.Int64();
    case "float64":
      return new arrow.Float64();
    case "string":
      return new arrow.Utf8();
    case "date":
      return new arrow.DateDay();
    case "timestamp":
      return new arrow.TimestampMicrosecond("UTC");
    case "decimal":
      return new arrow.Decimal(t.scale, t.precision, 128);
    case "list":
      return new arrow.List(new arrow.Field("item", toArrowType(t.element), true));
  }
}

export function schemaFromArrow(schema: arrow.Schema): Schema {
  return {
    fields: schema.fields.map((f): Field => {
      const type = fromArrowType(f.type);
      if (type === undefined) throw new TypeError(`Column "${f.name}" has Arrow type ${String(f.type)}, which Kindling cannot hold; cast it to a supported type (int, float, utf8, bool, date, timestamp, decimal, list) before loading.`);
      return { name: f.name, type, nullable: f.nullable };
    }),
  };
}

function copyValidity(data: arrow.Data): Uint8Array | undefined {
  if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) return undefined;
  const bytes = (data.length + 7) >>> 3;
  if ((data.offset & 7) === 0) return data.nullBitmap.slice(data.offset >>> 3, (data.offset >>> 3) + bytes); // whole bytes: one copy
  const out = new Uint8Array(bytes);
  for (let i = 0; i < data.length; i++) {
    const j = data.offset + i;
    if ((data.nullBitmap[j >>> 3]! & (1 << (j & 7))) !== 0) out[i >>> 3]! |= 1 << (i & 7);
  }
  return out;
}

/** One Arrow Data chunk as a column; falls back to per-value conversion for layouts we do not map directly. */
function columnFromData(data: arrow.Data, type: DataType, name: string): Column {
  const n = data.length;
  const off = data.offset;
  const validity = copyValidity(data);
  const t = data.type;
  if (type.kind === "null") return { type: { kind: "null" }, length: n };
  if (arrow.DataType.isInt(t) && t.bitWidth === 32 && t.isSigned && type.kind === "int32") {
    return { type, length: n, values: (data.values as Int32Array).subarray(0, n), validity } as Column;
  }
  if (arrow.DataType.isInt(t) && t.bitWidth === 64 && type.kind === "int64") {
    return { type, length: n, values: (data.values as unknown as BigInt64Array).subarray(0, n), validity } as Column;
  }
  if (arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE) {
    return { type, length: n, values: (data.values as Float64Array).subarray(0, n), validity } as Column;
  }
  if (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY) return { type, length: n, values: (data.values as Int32Array).subarray(0, n), validity } as Column;
  if (arrow.DataType.isTimestamp(t) && t.unit === arrow.TimeUnit.MICROSECOND) {
    return { type, length: n, values: (data.values as unknown as BigInt64Array).subarray(0, n), validity } as Column;
  }
  if (arrow.DataType.isBool(t)) {
    const values = new Uint8Array(n);
    const bits = data.values as Uint8Array;
    for (let i = 0; i < n; i++) values[i] = (bits[(off + i) >>> 3]! >>> ((off + i) & 7)) & 1;
    return { type, length: n, values, validity } as Column;
  }
  if (arrow.DataType.isUtf8(t)) {
    const src = data.valueOffsets as Int32Array;
    const base = src[0]!;
    let offsets = src.subarray(0, n + 1);
    if (base !== 0) {
      offsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = src[i]! - base;
    }
    const bytes = (data.values as Uint8Array).subarray(base, src[n]!);
    return { type: { kind: "string" }, length: n, encoding: "utf8", offsets, bytes, validity };
  }
  if (arrow.DataType.isDictionary(t) && arrow.DataType.isUtf8(t.dictionary) && data.dictionary !== undefined) {
    // Int32 codes are viewed like other int32 buffers (registration copies them into shared memory once).
    const codes = data.values instanceof Int32Array ? data.values.subarray(0, n) : Int32Array.from({ length: n }, (_, i) => Number((data.values as ArrayLike<number | bigint>)[i]));
    const dictData = data.dictionary.data.length === 1 ? data.dictionary.data[0]! : undefined;
    const dictionary = dictData !== undefined ? columnFromData(dictData, type, name) : columnFromValues(data.dictionary.toArray() as unknown[], type, name);
    if (!("encoding" in dictionary) || dictionary.encoding !== "utf8") throw new Error("unexpected dictionary layout");
    return { type: { kind: "string" }, length: n, encoding: "dict", codes, dictionary, validity };
  }
  // Other layouts (narrow ints, other time units, decimals, lists, large utf8): go through values.
  const vector = arrow.makeVector(data);
  const values: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = normalizeArrowValue(vector.get(i), type);
  return columnFromValues(values, type, name);
}

function normalizeArrowValue(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (type.kind === "timestamp" && typeof v === "number") return BigInt(Math.round(v * 1000)); // Arrow JS gives ms
  if (type.kind === "date" && typeof v === "number") return Math.floor(v / 86_400_000);
  if (type.kind === "decimal" && v instanceof Uint32Array) return BigInt.asIntN(64, (BigInt(v[1]!) << 32n) | BigInt(v[0]!));
  if (type.kind === "list" && v !== null && typeof v === "object" && "toArray" in v) {
    return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray()).map((x) => normalizeArrowValue(x, type.element));
  }
  if (type.kind === "int64" && typeof v === "number") return BigInt(v);
  return v;
}

export function arrowToBatches(table: arrow.Table): Batch[] {
  const schema = schemaFromArrow(table.schema);
  return table.batches.map((rb) => recordBatchToBatch(rb, schema));
}

/** One Arrow RecordBatch as a batch of `schema` (schemaFromArrow of its schema): views, as arrowToBatches. */
export function recordBatchToBatch(rb: arrow.RecordBatch, schema: Schema): Batch {
  return { schema, length: rb.numRows, columns: schema.fields.map((f, i) => columnFromData(rb.data.children[i]!, f.type, f.name)) };
}

function packBits(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array((n + 7) >>> 3);
  for (let i = 0; i < n; i++) if (bytes[i] !== 0) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

function dataFromColumn(column: Column, dictType?: arrow.Dictionary<arrow.Utf8, arrow.Int32>): arrow.Data {
  const type = toArrowType(column.type);
  const length = column.length;
  if (column.type.kind === "null") return arrow.makeData({ type: type as arrow.Null, length });
  const nullBitmap = (column as NullableColumn).validity;
  const nullCount = nullBitmap === undefined ? 0 : undefined;
  const common = { length, nullBitmap, ...(nullCount === 0 ? { nullCount } : {}) };
  switch (column.type.kind) {
    case "bool":
      return arrow.makeData({ type: type as arrow.Bool, ...common, data: packBits((column as ValuesColumn).values as Uint8Array, length) });
    case "int32":
      return arrow.makeData({ type: type as arrow.Int32, ...common, data: (column as ValuesColumn).values as Int32Array });
    case "int64":
      return arrow.makeData({ type: type as arrow.Int64, ...common, data: (column as ValuesColumn).values as BigInt64Array });
    case "float64":
      return arrow.makeData({ type: type as arrow.Float64, ...common, data: (column as ValuesColumn).values as Float64Array });
    case "date":
      return arrow.makeData({ type: type as arrow.DateDay, ...common, data: (column as ValuesColumn).values as Int32Array });
    case "timestamp":
      return arrow.makeData({ type: type as arrow.TimestampMicrosecond, ...common, data: (column as ValuesColumn).values as BigInt64Array });
    case "decimal": {
      const v = (column as ValuesColumn).values as BigInt64Array;
      const words = new Uint32Array(length * 4);
      for (let i = 0; i < length; i++) {
        const x = v[i]!;
        words[4 * i] = Number(x & 0xffffffffn);
        words[4 * i + 1] = Number((x >> 32n) & 0xffffffffn);
        const sign = x < 0n ? 0xffffffff : 0;
        words[4 * i + 2] = sign;
        words[4 * i + 3] = sign;
      }
      return arrow.makeData({ type: type as arrow.Decimal, ...common, data: words });
    }
    case "string": {
      const s = column as StringColumn;
      if (s.encoding === "utf8") return arrow.makeData({ type: type as arrow.Utf8, ...common, valueOffsets: s.offsets, data: s.bytes });
      const dictionary = arrow.makeVector(dataFromColumn(s.dictionary) as arrow.Data<arrow.Utf8>);
      return arrow.makeData({ type: dictType ?? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()), ...common, data: s.codes, dictionary });
    }
    case "list": {
      const l = column as ListColumn;
      return arrow.makeData({ type: type as arrow.List, ...common, valueOffsets: l.offsets, child: dataFromColumn(l.child) });
    }
  }
}

/** True when some batch holds column i dictionary-encoded (then every batch of it goes out as a dictionary). */
function anyDictionary(batches: readonly Batch[], i: number): boolean {
  return batches.some((b) => {
    const c = b.columns[i]!;
    return "encoding" in c && c.encoding === "dict";
  });
}

/**
 * A UTF-8 column as a dictionary column whose dictionary is the column itself (codes 0..n-1): no
 * bytes move, so a column that is dictionary-encoded in some batches can have one Arrow type.
 */
function asIdentityDictionary(c: Utf8Column): DictColumn {
  const codes = new Int32Array(c.length);
  for (let i = 0; i < codes.length; i++) codes[i] = i;
  return { type: c.type, length: c.length, encoding: "dict", codes, dictionary: { ...c, validity: undefined }, validity: c.validity };
}

/**
 * Batches as an Arrow Table, one RecordBatch per batch, buffers shared (not copied) where the
 * layouts agree. Dictionary-encoded strings stay Arrow Dictionary<Int32, Utf8> vectors with the
 * batch's own dictionary (Arrow allows a different dictionary per RecordBatch; values read as
 * strings), so the driver never decodes or re-gathers string bytes.
 */
export function batchesToArrow(inputBatches: readonly Batch[], schema: Schema): arrow.Table {
  const dictTypes = schema.fields.map((f, i) => (f.type.kind === "string" && anyDictionary(inputBatches, i) ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()) : undefined));
  const batches = inputBatches.map((b) => ({
    ...b,
    columns: b.columns.map((c, i) => (dictTypes[i] !== undefined && "encoding" in c && c.encoding === "utf8" ? asIdentityDictionary(c) : c)),
  }));
  const arrowSchema = new arrow.Schema(schema.fields.map((f, i) => new arrow.Field(f.name, dictTypes[i] ?? toArrowType(f.type), f.nullable)));
  const recordBatches = batches.map((b) => {
    const children = b.columns.map((c, i) => dataFromColumn(c, dictTypes[i]));
    const struct = arrow.makeData({ type: new arrow.Struct(arrowSchema.fields), length: b.length, nullCount: 0, children });
    return new arrow.RecordBatch(arrowSchema, struct);
  });
  return new arrow.Table(arrowSchema, recordBatches);
}
