/**
 * Schemas for createDataFrame: inferred from JS rows, or given explicitly as
 * `{ user_id: "int64", ts: "timestamp" }`. Inference widens within numbers (int32 -> int64 ->
 * float64) and refuses to mix families (a string among numbers), naming the column and row, because
 * a silent string column would surface much later as a confusing type error.
 */
import { commonType } from "../expr/coercion.js";
import { parseType, type TypeSpec } from "../expr/type-spec.js";
import { type DataType, type Field, type Schema, typeToString, Types } from "../expr/types.js";
import { AnalysisError } from "../logical/errors.js";

/** An explicit schema: a Schema, or column name -> type name (all columns nullable). */
export type SchemaSpec = Schema | Readonly<Record<string, TypeSpec>>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isSchema(spec: SchemaSpec): spec is Schema {
  return Array.isArray((spec as Schema).fields);
}

export function schemaFromSpec(spec: SchemaSpec): Schema {
  if (isSchema(spec)) return spec;
  const entries = Object.entries(spec);
  if (entries.length === 0) throw new AnalysisError("The schema has no columns; give at least one, e.g. { id: \"int64\" }");
  return { fields: entries.map(([name, t]): Field => ({ name, type: parseType(t), nullable: true })) };
}

/** The type of one JS value, or undefined for null/undefined. */
export function valueType(value: unknown, where: () => string): DataType | undefined {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case "boolean": return Types.bool;
    case "string": return Types.string;
    case "bigint": return Types.int64;
    case "number":
      if (Number.isInteger(value)) return value >= INT32_MIN && value <= INT32_MAX ? Types.int32 : Types.int64;
      return Types.float64;
  }
  if (value instanceof Date) return Types.timestamp;
  if (Array.isArray(value)) {
    let element: DataType = Types.null;
    value.forEach((item, i) => {
      const t = valueType(item, () => `${where()}[${i}]`);
      if (!t) return;
      const merged = mergeTypes(element, t);
      if (!merged) throw new AnalysisError(`${where()}: the list mixes ${typeToString(element)} and ${typeToString(t)}; give a schema`);
      element = merged;
    });
    return Types.list(element);
  }
  throw new AnalysisError(`${where()}: cannot store a ${value?.constructor?.name ?? typeof value} value; use numbers, bigint, strings, booleans, Dates, arrays or null`);
}

/** Widening for inference: numbers widen (int32 < int64 < float64); different families do not mix. */
function mergeTypes(a: DataType, b: DataType): DataType | undefined {
  if (a.kind === "int64" && b.kind === "float64") return Types.float64;
  if (a.kind === "float64" && b.kind === "int64") return Types.float64;
  return commonType(a, b);
}

/** Infers a schema from rows: column order of first appearance; a column missing or null in some row is nullable. */
export function inferSchema(rows: readonly Readonly<Record<string, unknown>>[]): Schema {
  if (rows.length === 0) throw new AnalysisError("Cannot infer a schema from zero rows; pass a schema: createDataFrame([], { id: \"int64\" })");
  const types = new Map<string, DataType>();
  const nullable = new Set<string>();
  const seen = new Map<string, number>();
  rows.forEach((row, r) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new AnalysisError(`Row ${r}: expected an object like { id: 1, name: "a" }, got ${Array.isArray(row) ? "an array" : typeof row}`);
    }
    for (const [name, value] of Object.entries(row)) {
      if (!seen.has(name)) {
        seen.set(name, r);
        if (r > 0) nullable.add(name); // missing in earlier rows
      }
      const t = valueType(value, () => `Column "${name}", row ${r}`);
      if (!t) { nullable.add(name); continue; }
      const prev = types.get(name);
      if (!prev) { types.set(name, t); continue; }
      const merged = mergeTypes(prev, t);
      if (!merged) {
        throw new AnalysisError(
          `Column "${name}": row ${r} has a ${typeToString(t)} but earlier rows have ${typeToString(prev)}; ` +
            `make the values one type or pass a schema, e.g. { ${name}: "${typeToString(prev)}" }`,
        );
      }
      types.set(name, merged);
    }
  });
  for (const name of seen.keys()) {
    if (rows.some((row) => !(name in row))) nullable.add(name);
  }
  return { fields: [...seen.keys()].map((name) => ({ name, type: types.get(name) ?? Types.null, nullable: nullable.has(name) || !types.has(name) })) };
}
