/**
 * Finds a column reference in a schema: by name, narrowed by qualifier (`orders.id`) when given.
 * Exact case first, then case-insensitive (Spark's default), so the analyzer's names always resolve.
 */
import type { Schema } from "../types.js";
import { ExprCompileError } from "./errors.js";

export function resolveColumn(schema: Schema, name: string, qualifier: string | undefined): number {
  const matches = (caseless: boolean): number[] => {
    const out: number[] = [];
    const n = caseless ? name.toLowerCase() : name;
    schema.fields.forEach((f, i) => {
      const fname = caseless ? f.name.toLowerCase() : f.name;
      if (fname !== n) return;
      if (qualifier !== undefined && f.qualifier !== qualifier) return;
      out.push(i);
    });
    return out;
  };
  let found = matches(false);
  if (found.length === 0) found = matches(true);
  const shown = qualifier ? `${qualifier}.${name}` : name;
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    const quals = found.map((i) => schema.fields[i]!.qualifier).filter((q) => q !== undefined);
    throw new ExprCompileError(`Column "${shown}" is ambiguous` + (quals.length ? `; qualify it as ${quals.map((q) => `"${q}.${name}"`).join(" or ")}` : ""));
  }
  const available = schema.fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name)).join(", ");
  throw new ExprCompileError(`Column "${shown}" not found; available columns: ${available}`);
}
