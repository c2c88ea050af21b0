/**
 * Checks run after every rule: a rule that breaks one is a bug in that rule, so the error names it
 * (and the node) instead of letting a worker fail later on a missing column.
 */
import type { Expr } from "../expr/ir.js";
import type { Schema } from "../expr/types.js";
import type { LogicalPlan } from "../logical/plan.js";
import { columnsOf } from "./expr-utils.js";
import { walkPlan } from "./plan-utils.js";
import { describeSchema, resolveColumn, schemaEquals } from "./schema-utils.js";

export class OptimizerInvariantError extends Error {
  constructor(readonly rule: string, detail: string) {
    super(`optimizer rule ${rule} produced an invalid plan: ${detail}. Disable it with optimize(plan, { disabledRules: ["${rule}"] }) and report the query.`);
    this.name = "OptimizerInvariantError";
  }
}

/** Throws OptimizerInvariantError naming `rule` if `after` is not a valid rewrite of `before`. */
export function checkInvariants(rule: string, before: LogicalPlan, after: LogicalPlan): void {
  if (!schemaEquals(before.schema, after.schema)) {
    throw new OptimizerInvariantError(rule, `the result schema changed from ${describeSchema(before.schema)} to ${describeSchema(after.schema)}`);
  }
  for (const node of walkPlan(after)) {
    const problem = unresolvedReference(node);
    if (problem) throw new OptimizerInvariantError(rule, `${node.kind} references ${problem}`);
  }
}

function missing(exprs: readonly Expr[], schema: Schema): string | undefined {
  for (const e of exprs) {
    for (const c of columnsOf(e)) {
      if (resolveColumn(schema, c) < 0) {
        return `column "${c.qualifier ? `${c.qualifier}.` : ""}${c.name}" not present in its input ${describeSchema(schema)}`;
      }
    }
  }
  return undefined;
}

function unresolvedReference(node: LogicalPlan): string | undefined {
  switch (node.kind) {
    case "Scan":
      return missing(node.filters, node.schema);
    case "Project":
    case "Window":
      return missing(node.exprs, node.input.schema);
    case "Filter":
      return missing([node.predicate], node.input.schema);
    case "Aggregate":
      return missing([...node.groupBy, ...node.aggs], node.input.schema);
    case "Sort":
      return missing(node.order.map((o) => o.expr), node.input.schema);
    case "Repartition": {
      const s = node.scheme;
      if (s.kind === "hash") return missing(s.keys, node.input.schema);
      if (s.kind === "range") return missing(s.order.map((o) => o.expr), node.input.schema);
      return undefined;
    }
    case "Distinct":
      return missing((node.subset ?? []).map((name) => ({ kind: "Column", name })), node.input.schema);
    case "Join": {
      const both: Schema = { fields: [...node.left.schema.fields, ...node.right.schema.fields] };
      return missing(node.on.map((o) => o.left), node.left.schema)
        ?? missing(node.on.map((o) => o.right), node.right.schema)
        ?? missing(node.condition ? [node.condition] : [], both);
    }
    case "Union": {
      const n = node.schema.fields.length;
      const bad = node.inputs.find((i) => i.schema.fields.length !== n);
      return bad ? `an input with ${bad.schema.fields.length} columns where ${n} are expected` : undefined;
    }
    default:
      return undefined;
  }
}
