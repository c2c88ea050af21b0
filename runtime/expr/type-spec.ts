/**
 * Type names as users write them (`"int64"`, `"long"`, `"decimal(10,2)"`, `"list<string>"`) parsed to
 * DataType. Spark and Arrow spellings are accepted so schemas copied from either work unchanged.
 */
import { type DataType, Types } from "./types.js";

/** A DataType or its name. */
export type TypeSpec = DataType | string;

const ALIASES: Readonly<Record<string, DataType>> = {
  null: Types.null, void: Types.null,
  bool: Types.bool, boolean: Types.bool,
  int32: Types.int32, int: Types.int32, integer: Types.int32, i32: Types.int32,
  int64: Types.int64, long: Types.int64, bigint: Types.int64, i64: Types.int64,
  float64: Types.float64, double: Types.float64, float: Types.float64, f64: Types.float64, number: Types.float64,
  string: Types.string, str: Types.string, utf8: Types.string, text: Types.string, varchar: Types.string,
  date: Types.date, date32: Types.date,
  timestamp: Types.timestamp, "timestamp[us]": Types.timestamp, datetime: Types.timestamp,
};

/** Parses a type name; throws an error listing the accepted names when it is unknown. */
export function parseType(spec: TypeSpec): DataType {
  if (typeof spec !== "string") return spec;
  const s = spec.trim().toLowerCase();
  const known = ALIASES[s];
  if (known) return known;
  const dec = /^decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(s);
  if (dec) {
    const precision = Number(dec[1]);
    const scale = Number(dec[2]);
    if (precision < 1 || precision > 18 || scale > precision) {
      throw new TypeError(`Type "${spec}": decimal precision must be 1..18 and scale <= precision, e.g. "decimal(10,2)"`);
    }
    return Types.decimal(precision, scale);
  }
  const list = /^(?:list|array)\s*<(.+)>$/.exec(s);
  if (list?.[1]) return Types.list(parseType(list[1]));
  throw new TypeError(
    `Unknown type "${spec}"; use one of bool, int32, int64, float64, decimal(p,s), string, date, timestamp, list<T>`,
  );
}
