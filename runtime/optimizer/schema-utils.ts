/**
 * Column identity: a Column reference names a field by `name` and, when given, `qualifier`.
 * These helpers resolve references against a schema and rebind expressions from one schema to
 * another (through projections, aliases and join sides) without needing type inference.
 */
import type { Expr } from "../expr/ir.js";
import type { Field, Schema } from "../expr/types.js";
import { type ColumnExpr, columnsOf, transformExpr } from "./expr-utils.js";

/** Field positions by name, per schema object (plans are immutable, so a schema never changes). */
const positionsByName = new WeakMap<Schema, Map<string, number[]>>();

function positionsOf(schema: Schema, name: string): readonly number[] {
  let byName = positionsByName.get(schema);
  if (!byName) {
    byName = new Map();
    schema.fields.forEach((f, i) => {
      const list = byName!.get(f.name);
      if (list) list.push(i);
      else byName!.set(f.name, [i]);
    });
    positionsByName.set(schema, byName);
  }
  return byName.get(name) ?? [];
}

/** Index of the field `col` names in `schema`, or -1. An exact qualifier match wins over a bare name. */
export function resolveColumn(schema: Schema, col: { name: string; qualifier?: string | undefined }): number {
  const candidates = positionsOf(schema, col.name);
  if (candidates.length === 0) return -1;
  const fields = schema.fields;
  if (col.qualifier !== undefined) return candidates.find((i) => fields[i]!.qualifier === col.qualifier) ?? -1;
  return candidates.find((i) => fields[i]!.qualifier === undefined) ?? candidates[0]!;
}

export function resolvesIn(schema: Schema, e: Expr): boolean {
  return columnsOf(e).every((c) => resolveColumn(schema, c) >= 0);
}

/** The set of field indices of `schema` that `exprs` reference (unresolvable references are ignored). */
export function referencedIndices(schema: Schema, cols: readonly ColumnExpr[]): Set<number> {
  const out = new Set<number>();
  for (const c of cols) {
    const i = resolveColumn(schema, c);
    if (i >= 0) out.add(i);
  }
  return out;
}

/** A reference to `field` that resolves to it. */
export function fieldRef(field: Field): ColumnExpr {
  return field.qualifier === undefined
    ? { kind: "Column", name: field.name }
    : { kind: "Column", name: field.name, qualifier: field.qualifier };
}

export function sameField(a: Field, b: Field): boolean {
  return a.name === b.name && a.qualifier === b.qualifier;
}

/**
 * Rewrites the column references of `e` (which resolve in `schema`) with `replacement(index)`.
 * Returns undefined if some reference has no replacement (the expression cannot be moved).
 */
export function rebind(e: Expr, schema: Schema, replacement: (index: number) => Expr | undefined): Expr | undefined {
  let failed = false;
  const out = transformExpr(e, (n) => {
    if (n.kind !== "Column") return n;
    const i = resolveColumn(schema, n);
    const r = i >= 0 ? replacement(i) : undefined;
    if (r === undefined) { failed = true; return n; }
    return r;
  });
  return failed ? undefined : out;
}

export function schemaEquals(a: Schema, b: Schema): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, i) => {
    const g = b.fields[i]!;
    return f.name === g.name && f.qualifier === g.qualifier && f.type.kind === g.type.kind;
  });
}

export function describeSchema(s: Schema): string {
  return `[${s.fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name)).join(", ")}]`;
}
