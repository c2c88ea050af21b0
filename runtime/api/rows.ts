/**
 * Batches to row objects for collect()/take(). Row keys are column names; when a name appears
 * more than once (a join that kept both `id` columns) the duplicates are keyed by their qualified
 * name (`o.id`, `u.id`), or `name_2`, `name_3` without a qualifier, so no value is silently lost.
 */
import type { Batch } from "../batch/column.js";
import { valueAt } from "../batch/rows.js";
import type { Schema } from "../expr/types.js";

export function rowKeys(schema: Schema): string[] {
  const counts = new Map<string, number>();
  for (const f of schema.fields) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const used = new Set<string>();
  return schema.fields.map((f) => {
    let key = f.name;
    if ((counts.get(f.name) ?? 0) > 1) {
      const n = (seen.get(f.name) ?? 0) + 1;
      seen.set(f.name, n);
      key = f.qualifier ? `${f.qualifier}.${f.name}` : n === 1 ? f.name : `${f.name}_${n}`;
    }
    while (used.has(key)) key = `${key}_`;
    used.add(key);
    return key;
  });
}

export function batchesToRowObjects(batches: readonly Batch[], schema: Schema): Record<string, unknown>[] {
  const keys = rowKeys(schema);
  const out: Record<string, unknown>[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < keys.length; c++) row[keys[c]!] = valueAt(b.columns[c]!, i);
      out.push(row);
    }
  }
  return out;
}
