/**
 * union (by position) and unionByName: inputs are aligned to one column list and cast to each
 * column's common type, with a Project under an input only where it needs one, so the Union node's
 * inputs line up position by position.
 */
import { commonType } from "../expr/coercion.js";
import type { Expr } from "../expr/ir.js";
import { type Field, typesEqual, typeToString } from "../expr/types.js";
import { castTo } from "./analyze-expr.js";
import { AnalysisError } from "./errors.js";
import type { LogicalPlan } from "./plan.js";
import { columnRef } from "./resolve-column.js";
import { didYouMean } from "./suggest.js";

/** union (by position) / unionByName: casts columns to a common type where the inputs differ. */
export function buildUnion(inputs: readonly LogicalPlan[], byName: boolean, allowMissingColumns = false): LogicalPlan {
  const first = inputs[0]!;
  const width = first.schema.fields.length;
  // unionByName with allowMissingColumns outputs every name of every input (first input's order, then new ones).
  const targets: Field[] = [...first.schema.fields];
  if (byName && allowMissingColumns) {
    for (const p of inputs.slice(1)) for (const f of p.schema.fields) if (!targets.some((t) => t.name === f.name)) targets.push(f);
  }
  const aligned = inputs.map((p, i) => {
    if (!byName) {
      if (p.schema.fields.length !== width) {
        throw new AnalysisError(`union(): input ${i + 1} has ${p.schema.fields.length} columns but the first has ${width}; select the same columns, or use unionByName`);
      }
      return p.schema.fields.map((f): { expr: Expr; field: Field } => ({ expr: columnRef(f), field: f }));
    }
    return targets.map((target): { expr: Expr; field: Field } => {
      const f = p.schema.fields.find((x) => x.name === target.name);
      if (f) return { expr: columnRef(f), field: f };
      if (allowMissingColumns) return { expr: { kind: "Literal", value: null, type: target.type }, field: { ...target, nullable: true } };
      const hint = didYouMean(target.name, p.schema.fields.map((x) => x.name));
      throw new AnalysisError(`unionByName(): input ${i + 1} has no column "${target.name}";${hint || " pass { allowMissingColumns: true } to fill it with nulls."}`);
    });
  });
  const fields: Field[] = targets.map((f, col) => {
    let type = f.type;
    let nullable = false;
    aligned.forEach((cols, i) => {
      const other = cols[col]!.field;
      const t = commonType(type, other.type);
      if (!t) throw new AnalysisError(`union(): column ${col + 1} ("${f.name}") is ${typeToString(type)} in input 1 but ${typeToString(other.type)} in input ${i + 1}; cast one of them`);
      type = t;
      nullable ||= other.nullable;
    });
    return { name: f.name, type, nullable };
  });
  const casted = inputs.map((p, i) => {
    const cols = aligned[i]!;
    const needsProject = cols.some((c, j) => !typesEqual(c.field.type, fields[j]!.type) || c.expr.kind !== "Column" || p.schema.fields[j]?.name !== c.field.name);
    if (!needsProject) return p;
    const exprs = cols.map((c, j): Expr => {
      const e = castTo({ expr: c.expr, type: c.field.type, nullable: c.field.nullable }, fields[j]!.type);
      return e.kind === "Column" && e.name === fields[j]!.name ? e : { kind: "Alias", expr: e, name: fields[j]!.name };
    });
    const projected: LogicalPlan = { kind: "Project", input: p, exprs, schema: { fields: fields.map((f, j) => ({ ...f, nullable: cols[j]!.field.nullable })) } };
    return projected;
  });
  return { kind: "Union", inputs: casted, byName, schema: { fields } };
}
