/**
 * Compiles an expression into a function over batches. Each node evaluates a whole column with a
 * loop specialized for its operand types (generated loops for arithmetic and comparisons, with
 * column-op-constant variants), so a plan fragment is compiled once and run per batch.
 * Compiled closures are cached by (expression, schema).
 */
import type { Batch, Column } from "../../batch/column.js";
import { binaryTyping } from "../coercion.js";
import type { Expr } from "../ir.js";
import type { DataType, Schema } from "../types.js";
import { Types, typeToString } from "../types.js";
import { arithmetic, type Operand } from "./arithmetic.js";
import { compileCall, compileUdf } from "./compile-call.js";
import { compileCase, compileIn } from "./compile-case-in.js";
import { compare, isCompareOp, type StringOperand } from "./compare.js";
import { ExprCompileError } from "./errors.js";
import { andOr, unary } from "./logic.js";
import { castNode, constantNode, type Node, rawScalar } from "./node.js";
import { resolveColumn } from "./resolve-column.js";

export interface CompiledExpr {
  readonly type: DataType;
  evaluate(batch: Batch): Column;
}

const MAX_CACHE = 512;
const cache = new Map<string, Node>();
const byIdentity = new WeakMap<Expr, WeakMap<Schema, Node>>();

function cacheKey(expr: Expr, schema: Schema): string {
  return JSON.stringify([expr, schema.fields], (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v === Infinity ? "Infinity" : v));
}

/** Compiles `expr` against `schema`; throws ExprCompileError with the reason when it cannot. */
export function compileExpr(expr: Expr, schema: Schema): CompiledExpr {
  // Operators often recompile the same objects per batch: an identity lookup skips the JSON key.
  let bySchema = byIdentity.get(expr);
  let node = bySchema?.get(schema);
  if (!node) {
    const key = cacheKey(expr, schema);
    node = cache.get(key);
    if (!node) {
      node = compileNode(expr, schema);
      if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
      cache.set(key, node);
    }
    if (!bySchema) { bySchema = new WeakMap(); byIdentity.set(expr, bySchema); }
    bySchema.set(schema, node);
  }
  const n = node;
  return { type: n.type, evaluate: (batch) => n.evaluate(batch) };
}

/** Compiles a boolean filter: the indices of rows where it is true (null counts as false). */
export function compilePredicate(expr: Expr, schema: Schema): (batch: Batch) => Uint32Array {
  const compiled = compileExpr(expr, schema);
  if (compiled.type.kind !== "bool" && compiled.type.kind !== "null") {
    throw new ExprCompileError(`filter condition must be boolean, got ${typeToString(compiled.type)}; compare it, e.g. col("x").gt(0)`);
  }
  const notNullOf = expr.kind === "Unary" && expr.op === "isNotNull" && expr.expr.kind === "Column"
    ? resolveColumn(schema, expr.expr.name, expr.expr.qualifier) : -1;
  return (batch) => {
    // isNotNull(col) over a column without a validity bitmap keeps every row: no bool column, no
    // selection pass (join keys get this filter inferred, and most key columns have no nulls).
    if (notNullOf >= 0 && (batch.columns[notNullOf] as { validity?: Uint8Array }).validity === undefined
      && batch.columns[notNullOf]!.type.kind !== "null") return allRows(batch.length);
    const c = compiled.evaluate(batch);
    if (c.type.kind === "null") return new Uint32Array(0);
    const { values, validity } = c as Extract<Column, { values: Uint8Array }>;
    const n = batch.length;
    const sel = new Uint32Array(n);
    let k = 0;
    if (validity === undefined) {
      for (let i = 0; i < n; i++) if (values[i] === 1) sel[k++] = i;
    } else {
      for (let i = 0; i < n; i++) if (values[i] === 1 && ((validity[i >> 3]! >> (i & 7)) & 1) === 1) sel[k++] = i;
    }
    return k === n ? sel : sel.slice(0, k);
  };
}

let identity = new Uint32Array(0);

/** 0..n-1, shared and read-only: selections are only read (gathers, selectRows' length test). */
function allRows(n: number): Uint32Array {
  if (identity.length < n) {
    identity = new Uint32Array(Math.max(n, identity.length * 2));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity.subarray(0, n);
}

function compileNode(expr: Expr, schema: Schema): Node {
  switch (expr.kind) {
    case "Column": {
      const idx = resolveColumn(schema, expr.name, expr.qualifier);
      const type = schema.fields[idx]!.type;
      return { type, evaluate: (batch) => batch.columns[idx]! };
    }
    case "Literal":
      return constantNode(expr.value, expr.type);
    case "Alias":
      return compileNode(expr.expr, schema);
    case "Cast":
      return castNode(compileNode(expr.expr, schema), expr.to);
    case "Binary":
      return compileBinary(expr.op, compileNode(expr.left, schema), compileNode(expr.right, schema));
    case "Unary": {
      const inner = compileNode(expr.expr, schema);
      const type = expr.op === "negate" ? inner.type : Types.bool;
      if (expr.op === "negate" && inner.type.kind !== "null" && !["int32", "int64", "float64", "decimal"].includes(inner.type.kind)) {
        throw new ExprCompileError(`cannot negate ${typeToString(inner.type)}; negation needs a number`);
      }
      return { type, evaluate: (batch) => unary(expr.op, inner.evaluate(batch), batch.length) };
    }
    case "Case":
      return compileCase(
        expr.branches.map((b) => ({ when: compileNode(b.when, schema), then: compileNode(b.then, schema) })),
        expr.otherwise ? compileNode(expr.otherwise, schema) : undefined,
      );
    case "In": {
      const value = compileNode(expr.expr, schema);
      const fast = compileIn(value, expr.list.map((l) => compileNode(l, schema)), expr.negated);
      if (fast) return fast;
      // Non-constant list: x = a or x = b ... (same three-valued result as SQL IN).
      const chain = expr.list
        .map((item): Expr => ({ kind: "Binary", op: "=", left: expr.expr, right: item }))
        .reduce((acc, e): Expr => ({ kind: "Binary", op: "or", left: acc, right: e }));
      const node = compileNode(chain, schema);
      return expr.negated ? { type: Types.bool, evaluate: (b) => unary("not", node.evaluate(b), b.length) } : node;
    }
    case "Call":
      return compileCall(expr, expr.args.map((a) => compileNode(a, schema)));
    case "Udf":
      return compileUdf(expr, expr.args.map((a) => compileNode(a, schema)));
    case "Agg":
      throw new ExprCompileError(`aggregate ${expr.fn}() cannot be evaluated per row; use it inside groupBy().agg(...) or over a window`);
    case "Ranking":
      throw new ExprCompileError(`${expr.fn}() is a window function; use it with .over(Window.partitionBy(...).orderBy(...))`);
    case "Window":
      throw new ExprCompileError("window expressions are evaluated by the window operator, not the expression compiler");
    case "Star":
      throw new ExprCompileError("* must be expanded by the analyzer before evaluation");
  }
}

function operandOf(node: Node, batch: Batch): Operand | StringOperand {
  if (node.constant) {
    const raw = rawScalar(node);
    return { scalar: raw } as Operand | StringOperand;
  }
  return { column: node.evaluate(batch) };
}

function compileBinary(op: Expr & { kind: "Binary" } extends { op: infer O } ? O : never, left: Node, right: Node): Node {
  if (op === "and" || op === "or") {
    const typing = binaryTyping(op, left.type, right.type);
    if (!typing.ok) throw new ExprCompileError(typing.message);
    return { type: Types.bool, evaluate: (batch) => andOr(op, left.evaluate(batch), right.evaluate(batch), batch.length) };
  }
  const typing = binaryTyping(op, left.type, right.type);
  if (!typing.ok) throw new ExprCompileError(typing.message);
  const l = castNode(left, typing.operandType);
  const r = castNode(right, typing.operandType);
  // Two constants: let the loop see one column so the result still has the batch length.
  const bothConstant = l.constant !== undefined && r.constant !== undefined;
  const leftOperand = (batch: Batch): Operand | StringOperand => (bothConstant ? { column: l.evaluate(batch) } : operandOf(l, batch));
  if (isCompareOp(op)) {
    return { type: Types.bool, evaluate: (batch) => compare(op, leftOperand(batch), operandOf(r, batch), batch.length) };
  }
  const { operandType, resultType } = typing;
  return {
    type: resultType,
    evaluate: (batch) => arithmetic(op, operandType, resultType, leftOperand(batch) as Operand, operandOf(r, batch) as Operand, batch.length),
  };
}
