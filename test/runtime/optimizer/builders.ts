/**
 * Hand-built analyzed logical plans for optimizer and planner tests (the analyzer lives in
 * runtime/logical and may not be there yet): every node gets its schema the way the analyzer
 * computes it, with a tiny type inference good enough for these tests.
 */
import type { AggFn, BinaryOp, Expr, SortOrder } from "../../../runtime/expr/ir.js";
import { type DataType, type Field, type Schema, Types } from "../../../runtime/expr/types.js";
import type { DataPartitioning, JoinHint, JoinType, LogicalPlan, RepartitionScheme } from "../../../runtime/logical/plan.js";
import { resolveColumn } from "../../../runtime/optimizer/schema-utils.js";

export const col = (name: string, qualifier?: string): Expr =>
  qualifier === undefined ? { kind: "Column", name } : { kind: "Column", name, qualifier };
export const int = (value: number): Expr => ({ kind: "Literal", value, type: Types.int32 });
export const bool = (value: boolean): Expr => ({ kind: "Literal", value, type: Types.bool });
export const str = (value: string): Expr => ({ kind: "Literal", value, type: Types.string });
export const nullOf = (type: DataType): Expr => ({ kind: "Literal", value: null, type });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: "Binary", op, left, right });
export const eq = (l: Expr, r: Expr) => bin("=", l, r);
export const gt = (l: Expr, r: Expr) => bin(">", l, r);
export const and = (l: Expr, r: Expr) => bin("and", l, r);
export const or = (l: Expr, r: Expr) => bin("or", l, r);
export const not = (e: Expr): Expr => ({ kind: "Unary", op: "not", expr: e });
export const isNull = (e: Expr): Expr => ({ kind: "Unary", op: "isNull", expr: e });
export const isNotNull = (e: Expr): Expr => ({ kind: "Unary", op: "isNotNull", expr: e });
export const alias = (e: Expr, name: string): Expr => ({ kind: "Alias", expr: e, name });
export const agg = (fn: AggFn, ...args: Expr[]): Expr => ({ kind: "Agg", fn, args, distinct: false });
export const asc = (e: Expr): SortOrder => ({ expr: e, ascending: true, nullsFirst: true });

export function typeOf(e: Expr, schema: Schema): DataType {
  switch (e.kind) {
    case "Column": {
      const i = resolveColumn(schema, e);
      if (i < 0) throw new Error(`test builder: column ${e.name} not in [${schema.fields.map((f) => f.name).join(", ")}]`);
      return schema.fields[i]!.type;
    }
    case "Literal": return e.type;
    case "Alias": return typeOf(e.expr, schema);
    case "Cast": return e.to;
    case "Binary":
      if (["=", "!=", "<", "<=", ">", ">=", "<=>", "and", "or"].includes(e.op)) return Types.bool;
      return e.op === "/" ? Types.float64 : typeOf(e.left, schema);
    case "Unary": return e.op === "negate" ? typeOf(e.expr, schema) : Types.bool;
    case "Agg":
      if (e.fn === "count") return Types.int64;
      if (e.fn === "avg") return Types.float64;
      if (e.fn === "sum") return typeOf(e.args[0]!, schema).kind === "float64" ? Types.float64 : Types.int64;
      return typeOf(e.args[0]!, schema);
    case "Window": return typeOf(e.fn, schema);
    case "Ranking": return Types.int32;
    case "Case": return typeOf(e.branches[0]!.then, schema);
    default: return Types.string;
  }
}

function outputField(e: Expr, input: Schema): Field {
  if (e.kind === "Column") return input.fields[resolveColumn(input, e)]!;
  const name = e.kind === "Alias" ? e.name : JSON.stringify(e);
  return { name, type: typeOf(e, input), nullable: true };
}

let sourceCounter = 0;
export function scan(columns: Record<string, DataType["kind"]>, opts: { rows?: number; bytes?: number; partitions?: number; partitioning?: DataPartitioning; id?: string } = {}): LogicalPlan {
  const fields: Field[] = Object.entries(columns).map(([name, kind]) => ({ name, type: { kind } as DataType, nullable: true }));
  return {
    kind: "Scan",
    source: {
      kind: "memory",
      id: opts.id ?? `t${++sourceCounter}`,
      partitions: opts.partitions ?? 4,
      rows: opts.rows ?? 1_000_000,
      bytes: opts.bytes ?? 100_000_000,
      ...(opts.partitioning ? { partitioning: opts.partitioning } : {}),
    },
    filters: [],
    schema: { fields },
  };
}

export const project = (input: LogicalPlan, ...exprs: Expr[]): LogicalPlan =>
  ({ kind: "Project", input, exprs, schema: { fields: exprs.map((e) => outputField(e, input.schema)) } });
export const filter = (input: LogicalPlan, predicate: Expr): LogicalPlan =>
  ({ kind: "Filter", input, predicate, schema: input.schema });
export const aggregate = (input: LogicalPlan, groupBy: Expr[], aggs: Expr[]): LogicalPlan =>
  ({ kind: "Aggregate", input, groupBy, aggs, schema: { fields: [...groupBy, ...aggs].map((e) => outputField(e, input.schema)) } });
export const sort = (input: LogicalPlan, ...order: SortOrder[]): LogicalPlan => ({ kind: "Sort", input, order, schema: input.schema });
export const limit = (input: LogicalPlan, n: number, offset = 0): LogicalPlan => ({ kind: "Limit", input, n, offset, schema: input.schema });
export const distinct = (input: LogicalPlan, subset?: string[]): LogicalPlan =>
  (subset ? { kind: "Distinct", input, subset, schema: input.schema } : { kind: "Distinct", input, schema: input.schema });
export const repartition = (input: LogicalPlan, scheme: RepartitionScheme): LogicalPlan => ({ kind: "Repartition", input, scheme, schema: input.schema });
export const cache = (input: LogicalPlan, id: string): LogicalPlan => ({ kind: "Cache", input, id, level: "memory", schema: input.schema });
export const union = (...inputs: LogicalPlan[]): LogicalPlan => ({ kind: "Union", inputs, byName: false, schema: inputs[0]!.schema });
export const subqueryAlias = (input: LogicalPlan, name: string): LogicalPlan =>
  ({ kind: "SubqueryAlias", input, alias: name, schema: { fields: input.schema.fields.map((f) => ({ ...f, qualifier: name })) } });
export const windowNode = (input: LogicalPlan, ...exprs: Expr[]): LogicalPlan =>
  ({ kind: "Window", input, exprs, schema: { fields: [...input.schema.fields, ...exprs.map((e) => outputField(e, input.schema))] } });

export function join(
  left: LogicalPlan, right: LogicalPlan, how: JoinType,
  on: [Expr, Expr][], opts: { condition?: Expr; hint?: JoinHint } = {},
): LogicalPlan {
  const fields = how === "semi" || how === "anti" ? left.schema.fields : [...left.schema.fields, ...right.schema.fields];
  return {
    kind: "Join", left, right, how,
    on: on.map(([l, r]) => ({ left: l, right: r })),
    ...(opts.condition ? { condition: opts.condition } : {}),
    ...(opts.hint ? { hint: opts.hint } : {}),
    schema: { fields },
  };
}

/** Kinds of the nodes along the first-child spine, e.g. ["Project", "Filter", "Scan"]. */
export function spine(plan: LogicalPlan): string[] {
  const out: string[] = [plan.kind];
  let p: LogicalPlan = plan;
  while (p.kind !== "Scan") {
    p = p.kind === "Join" ? p.left : p.kind === "Union" ? p.inputs[0]! : p.input;
    out.push(p.kind);
  }
  return out;
}

/** All nodes of a plan, pre-order. */
export function nodes(plan: LogicalPlan): LogicalPlan[] {
  const kids = plan.kind === "Scan" ? [] : plan.kind === "Join" ? [plan.left, plan.right] : plan.kind === "Union" ? plan.inputs : [plan.input];
  return [plan, ...kids.flatMap(nodes)];
}
