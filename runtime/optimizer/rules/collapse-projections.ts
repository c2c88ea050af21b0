/**
 * CollapseProjections: Project(Project(x)) becomes one Project whose expressions read x directly,
 * and a Project that outputs exactly its input is removed. Not collapsed when an inner expression
 * other than a column or literal would be computed twice (cost, rand(), exponential growth).
 */
import type { Expr } from "../../expr/ir.js";
import type { LogicalPlan } from "../../logical/plan.js";
import { columnsOf, isNondeterministic, stripAlias } from "../expr-utils.js";
import { transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";
import { rebind, resolveColumn, schemaEquals } from "../schema-utils.js";

type ProjectNode = LogicalPlan & { kind: "Project" };

export const collapseProjections: OptimizerRule = {
  name: "CollapseProjections",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      if (node.kind !== "Project") return node;
      if (isIdentity(node)) return node.input;
      if (node.input.kind === "Project") return collapse(node, node.input) ?? node;
      return node;
    });
  },
};

/** Every output column is the input column at the same position, under the same name. */
function isIdentity(p: ProjectNode): boolean {
  if (!schemaEquals(p.schema, p.input.schema)) return false;
  return p.exprs.every((e, i) => e.kind === "Column" && resolveColumn(p.input.schema, e) === i);
}

function collapse(outer: ProjectNode, inner: ProjectNode): LogicalPlan | undefined {
  const defs = inner.exprs.map(stripAlias);
  const uses = new Map<number, number>();
  for (const c of outer.exprs.flatMap(columnsOf)) {
    const i = resolveColumn(inner.schema, c);
    uses.set(i, (uses.get(i) ?? 0) + 1);
  }
  for (const [i, n] of uses) {
    const d = defs[i];
    if (!d) return undefined;
    // Inlining an expression used twice computes it twice (and rand() would differ); chained
    // withColumn(b = a + a), (c = b + b)... would even grow exponentially. Only references and
    // literals may be copied.
    const trivial = d.kind === "Column" || d.kind === "Literal";
    if (n > 1 && !trivial) return undefined;
    if (isNondeterministic(d) && n > 1) return undefined;
  }
  const exprs: Expr[] = [];
  for (let k = 0; k < outer.exprs.length; k++) {
    const e = outer.exprs[k]!;
    const rewritten = rebind(e, inner.schema, (i) => defs[i]);
    if (!rewritten) return undefined;
    const name = outer.schema.fields[k]!.name;
    const keepsName = rewritten.kind === "Alias" || (rewritten.kind === "Column" && rewritten.name === name);
    exprs.push(keepsName ? rewritten : { kind: "Alias", expr: rewritten, name });
  }
  return { ...outer, input: inner.input, exprs };
}
