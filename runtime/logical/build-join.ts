/**
 * Joins. `on: "k"` / `["k1","k2"]` is a USING join: one `k` column in the output (from the left;
 * from the right for a right join; the coalesce of both for a full join), then the other left
 * columns, then the other right ones. `on: <Column>` splits the condition into equi-keys (one side
 * from each input) and a residual condition over left ++ right. Outer joins make the columns of
 * the side that may be missing nullable.
 */
import type { Expr } from "../expr/ir.js";
import { exprToString } from "../expr/print.js";
import type { Field, Schema } from "../expr/types.js";
import { commonType } from "../expr/coercion.js";
import { analyzeExpr, castTo, type Typed } from "./analyze-expr.js";
import { AnalysisError } from "./errors.js";
import type { JoinHint, JoinType, LogicalPlan } from "./plan.js";
import { columnRef, resolveField } from "./resolve-column.js";

export interface JoinSpec {
  readonly how: JoinType;
  /** Column names for a USING join, or a boolean condition. Absent only for cross joins. */
  readonly on?: readonly string[] | Expr;
  /** Key pairs with different names per side (Polars' leftOn/rightOn): each side's expression resolves in its own input. */
  readonly keys?: readonly { readonly left: Expr; readonly right: Expr }[];
  readonly hint?: JoinHint;
}

const nullableFields = (fields: readonly Field[], make: boolean): Field[] => fields.map((f) => (make && !f.nullable ? { ...f, nullable: true } : f));

export function buildJoin(left: LogicalPlan, right: LogicalPlan, spec: JoinSpec): LogicalPlan {
  const { how } = spec;
  const hint = spec.hint ? { hint: spec.hint } : {};
  const leftNullable = how === "right" || how === "full";
  const rightNullable = how === "left" || how === "full";
  const plainSchema = (): Schema =>
    how === "semi" || how === "anti"
      ? left.schema
      : { fields: [...nullableFields(left.schema.fields, leftNullable), ...nullableFields(right.schema.fields, rightNullable)] };

  if (spec.keys && spec.keys.length > 0) {
    if (how === "cross") throw new AnalysisError(`A cross join takes no keys; use how: "inner"`);
    const on = spec.keys.map((k, i) => {
      const l = analyzeExpr(k.left, left.schema, { clause: `leftOn[${i}]` });
      const r = analyzeExpr(k.right, right.schema, { clause: `rightOn[${i}]` });
      const t = commonType(l.type, r.type);
      if (!t) throw new AnalysisError(`Join keys ${exprToString(k.left)} and ${exprToString(k.right)} have types ${l.type.kind} and ${r.type.kind} with no common type; cast one side`);
      return { left: castTo(l, t), right: castTo(r, t) };
    });
    return { kind: "Join", left, right, how, on, ...hint, schema: plainSchema() };
  }
  if (spec.on === undefined || (Array.isArray(spec.on) && spec.on.length === 0)) {
    if (how !== "cross") throw new AnalysisError(`A ${how} join needs join keys: join(other, { on: "key", how: "${how}" }) or an expression condition`);
    return { kind: "Join", left, right, how, on: [], ...hint, schema: plainSchema() };
  }
  if (Array.isArray(spec.on)) return usingJoin(left, right, spec.on as readonly string[], how, hint);
  return conditionJoin(left, right, spec.on as Expr, how, hint, plainSchema());
}

function usingJoin(left: LogicalPlan, right: LogicalPlan, names: readonly string[], how: JoinType, hint: { hint?: JoinHint }): LogicalPlan {
  const on: { left: Expr; right: Expr }[] = [];
  const keyFields: Field[] = [];
  const leftKeyIdx = new Set<number>();
  const rightKeyIdx = new Set<number>();
  for (const name of names) {
    const l = sideField(left.schema, name, "left");
    const r = sideField(right.schema, name, "right");
    const t = commonType(l.field.type, r.field.type);
    if (!t) throw new AnalysisError(`Join key "${name}" is ${l.field.type.kind} on the left but ${r.field.type.kind} on the right; cast one side first`);
    leftKeyIdx.add(l.index);
    rightKeyIdx.add(r.index);
    const lt: Typed = { expr: columnRef(l.field), type: l.field.type, nullable: l.field.nullable };
    const rt: Typed = { expr: columnRef(r.field), type: r.field.type, nullable: r.field.nullable };
    on.push({ left: castTo(lt, t), right: castTo(rt, t) });
    const from = how === "right" ? r.field : l.field;
    const nullable = how === "full" ? l.field.nullable || r.field.nullable : from.nullable;
    keyFields.push(how === "full" ? { name: l.field.name, type: t, nullable } : { ...from, nullable });
  }
  if (how === "cross") throw new AnalysisError(`A cross join takes no keys; use how: "inner" to join on ${names.join(", ")}`);
  const leftRest = left.schema.fields.filter((_f, i) => !leftKeyIdx.has(i));
  const rightRest = right.schema.fields.filter((_f, i) => !rightKeyIdx.has(i));
  const schema: Schema =
    how === "semi" || how === "anti"
      ? left.schema
      : {
          fields: [
            ...keyFields,
            ...nullableFields(leftRest, how === "right" || how === "full"),
            ...nullableFields(rightRest, how === "left" || how === "full"),
          ],
        };
  return { kind: "Join", left, right, how, on, usingColumns: names.map((n) => resolveField(left.schema, n).field.name), ...hint, schema };
}

function sideField(schema: Schema, name: string, side: string) {
  try {
    return resolveField(schema, name);
  } catch (e) {
    if (e instanceof AnalysisError) throw new AnalysisError(`Join key on the ${side} side: ${e.message}`);
    throw e;
  }
}

/** Tries to type `e` over one side only; undefined when it reads columns of the other side. */
function trySide(e: Expr, schema: Schema): Typed | undefined {
  try {
    return analyzeExpr(e, schema, { clause: "join condition" });
  } catch (error) {
    if (error instanceof AnalysisError) return undefined;
    throw error;
  }
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === "Binary" && e.op === "and" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function conditionJoin(left: LogicalPlan, right: LogicalPlan, condition: Expr, how: JoinType, hint: { hint?: JoinHint }, schema: Schema): LogicalPlan {
  const both: Schema = { fields: [...left.schema.fields, ...right.schema.fields] };
  // Type-check the whole condition first so errors (unknown or ambiguous columns) name it.
  const whole = analyzeExpr(condition, both, { clause: "join condition" });
  if (whole.type.kind !== "bool" && whole.type.kind !== "null") {
    throw new AnalysisError(`The join condition ${exprToString(condition)} must be boolean, got ${whole.type.kind}`);
  }
  const on: { left: Expr; right: Expr }[] = [];
  const rest: Expr[] = [];
  for (const c of conjuncts(condition)) {
    if (c.kind === "Binary" && c.op === "=") {
      const direct = pair(c.left, c.right, left.schema, right.schema);
      const swapped = direct ?? pair(c.right, c.left, left.schema, right.schema);
      if (swapped) { on.push(swapped); continue; }
    }
    rest.push(analyzeExpr(c, both, { clause: "join condition" }).expr);
  }
  if (how === "cross" && on.length > 0) throw new AnalysisError(`A cross join takes no condition; use how: "inner"`);
  const residual = rest.reduce<Expr | undefined>((acc, e) => (acc ? { kind: "Binary", op: "and", left: acc, right: e } : e), undefined);
  return { kind: "Join", left, right, how, on, ...(residual ? { condition: residual } : {}), ...hint, schema };
}

/** `l = r` with l over the left input only and r over the right only, cast to a common type. */
function pair(l: Expr, r: Expr, leftSchema: Schema, rightSchema: Schema): { left: Expr; right: Expr } | undefined {
  const lt = trySide(l, leftSchema);
  const rt = lt && trySide(r, rightSchema);
  if (!lt || !rt) return undefined;
  const t = commonType(lt.type, rt.type);
  if (!t) throw new AnalysisError(`Type mismatch in join condition ${exprToString(l)} = ${exprToString(r)}: ${lt.type.kind} vs ${rt.type.kind}; cast one side`);
  return { left: castTo(lt, t), right: castTo(rt, t) };
}
