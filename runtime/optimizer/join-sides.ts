/**
 * Where each output column of a Join comes from. Without USING columns the output is
 * left ++ right (positional); semi/anti joins output the left side only; a USING column appears
 * once and comes from the left (inner/left/semi/anti), the right (right join) or both (full join:
 * coalesce of the two, so it belongs to neither side for pushdown).
 */
import type { Expr } from "../expr/ir.js";
import type { Schema } from "../expr/types.js";
import type { LogicalPlan } from "../logical/plan.js";
import { columnsOf } from "./expr-utils.js";
import { fieldRef, rebind, resolveColumn, sameField } from "./schema-utils.js";

export type JoinNode = LogicalPlan & { kind: "Join" };
export type Side = "left" | "right" | "both";
export interface OutputSource { readonly side: Side; readonly index: number; readonly rightIndex?: number }

export function outputsLeftOnly(join: JoinNode): boolean {
  return join.how === "semi" || join.how === "anti";
}

export function joinOutputSources(join: JoinNode): OutputSource[] {
  const L = join.left.schema;
  const R = join.right.schema;
  const using = new Set(join.usingColumns ?? []);
  return join.schema.fields.map((f, i) => {
    if (outputsLeftOnly(join)) return { side: "left", index: i };
    if (using.size === 0) return i < L.fields.length ? { side: "left", index: i } : { side: "right", index: i - L.fields.length };
    if (using.has(f.name)) {
      const li = L.fields.findIndex((g) => g.name === f.name);
      const ri = R.fields.findIndex((g) => g.name === f.name);
      if (join.how === "right") return { side: "right", index: ri };
      if (join.how === "full") return { side: "both", index: li, rightIndex: ri };
      return { side: "left", index: li, rightIndex: ri };
    }
    // A field present in both inputs (self join without aliases): first occurrence is the left one.
    const li = L.fields.findIndex((g) => sameField(g, f));
    const ri = R.fields.findIndex((g) => sameField(g, f));
    const earlier = join.schema.fields.slice(0, i).some((g) => sameField(g, f));
    if (li >= 0 && !(earlier && ri >= 0)) return { side: "left", index: li };
    if (ri >= 0) return { side: "right", index: ri };
    const fallback = resolveColumn(L, f);
    return fallback >= 0 ? { side: "left", index: fallback } : { side: "right", index: resolveColumn(R, f) };
  });
}

/** The sides an expression over the join's output reads ("both" if it mixes or uses a coalesced key). */
export function sideOf(e: Expr, join: JoinNode, sources: readonly OutputSource[]): Side | "none" {
  let side: Side | "none" = "none";
  for (const c of columnsOf(e)) {
    const i = resolveColumn(join.schema, c);
    const s: Side = i < 0 ? "both" : sources[i]!.side;
    if (side === "none") side = s;
    else if (side !== s) side = "both";
  }
  return side;
}

/** Rebinds an expression over the join output to one input side, or undefined if it reads the other. */
export function toSide(e: Expr, join: JoinNode, sources: readonly OutputSource[], side: "left" | "right"): Expr | undefined {
  const child: Schema = side === "left" ? join.left.schema : join.right.schema;
  return rebind(e, join.schema, (i) => {
    const s = sources[i];
    if (!s) return undefined;
    if (s.side === side) return fieldRef(child.fields[s.index]!);
    // A USING key equals the other side's key on every matched row.
    if (side === "right" && s.side === "left" && s.rightIndex !== undefined && s.rightIndex >= 0) return fieldRef(child.fields[s.rightIndex]!);
    return undefined;
  });
}

/** Schema seen by a join's `condition`: left fields then right fields. */
export function joinInputSchema(join: JoinNode): Schema {
  return { fields: [...join.left.schema.fields, ...join.right.schema.fields] };
}

/** Side of an expression over left ++ right (the condition's scope). */
export function conditionSide(e: Expr, join: JoinNode): Side | "none" {
  const both = joinInputSchema(join);
  const nLeft = join.left.schema.fields.length;
  let side: Side | "none" = "none";
  for (const c of columnsOf(e)) {
    const i = resolveColumn(both, c);
    const s: Side = i < 0 ? "both" : i < nLeft ? "left" : "right";
    if (side === "none") side = s;
    else if (side !== s) side = "both";
  }
  return side;
}

/** Rebinds a condition expression (over left ++ right) onto one side's schema. */
export function conditionToSide(e: Expr, join: JoinNode, side: "left" | "right"): Expr | undefined {
  const both = joinInputSchema(join);
  const nLeft = join.left.schema.fields.length;
  return rebind(e, both, (i) => {
    if (side === "left") return i < nLeft ? fieldRef(both.fields[i]!) : undefined;
    return i >= nLeft ? fieldRef(both.fields[i]!) : undefined;
  });
}
