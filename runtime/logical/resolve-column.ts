/**
 * Name resolution: which field of an input schema a column reference means. A resolved reference
 * names its field by `name` plus `qualifier` when the field has one, so it stays unambiguous
 * after joins (runtime/optimizer/schema-utils.ts resolves such references the same way).
 */
import type { Field, Schema } from "../expr/types.js";
import { AnalysisError } from "./errors.js";
import { didYouMean } from "./suggest.js";

export interface ResolvedField {
  readonly index: number;
  readonly field: Field;
}

function fieldLabel(f: Field): string {
  return f.qualifier ? `${f.qualifier}.${f.name}` : f.name;
}

function matches(schema: Schema, name: string, qualifier: string | undefined): ResolvedField[] {
  const out: ResolvedField[] = [];
  schema.fields.forEach((field, index) => {
    if (field.name === name && (qualifier === undefined || field.qualifier === qualifier)) out.push({ index, field });
  });
  return out;
}

/**
 * Finds the field `name` (optionally `qualifier`) refers to. `"o.id"` with no field literally named
 * so means field `id` of alias `o`. Throws an AnalysisError naming the column with a suggestion.
 */
export function resolveField(schema: Schema, name: string, qualifier?: string): ResolvedField {
  let found = matches(schema, name, qualifier);
  let shown = qualifier ? `${qualifier}.${name}` : name;
  if (found.length === 0 && qualifier === undefined) {
    const dot = name.indexOf(".");
    if (dot > 0) {
      const q = name.slice(0, dot);
      const n = name.slice(dot + 1);
      found = matches(schema, n, q);
      shown = name;
    }
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    const labels = found.map((f) => fieldLabel(f.field));
    const distinctQualifiers = new Set(found.map((f) => f.field.qualifier)).size === found.length;
    const fix = distinctQualifiers && found.every((f) => f.field.qualifier)
      ? `write ${labels.map((l) => `col("${l}")`).join(" or ")}`
      : `give the DataFrames aliases before joining (e.g. orders.alias("o"), users.alias("u")) and write col("o.${name}")`;
    throw new AnalysisError(`Column "${shown}" is ambiguous: it matches ${found.length} columns (${labels.join(", ")}); ${fix}`);
  }
  const candidates = schema.fields.flatMap((f) => (f.qualifier ? [f.name, fieldLabel(f)] : [f.name]));
  const available = schema.fields.map(fieldLabel).join(", ");
  throw new AnalysisError(`Column "${shown}" not found;${didYouMean(shown, candidates) || " no similar column."} Available columns: ${available}`);
}

/** The reference that names `field` exactly (with its qualifier when it has one). */
export function columnRef(field: Field): { kind: "Column"; name: string; qualifier?: string } {
  return field.qualifier === undefined ? { kind: "Column", name: field.name } : { kind: "Column", name: field.name, qualifier: field.qualifier };
}
