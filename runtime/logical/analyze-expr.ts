/**
 * Expression analysis: resolves column names against an input schema, computes each node's type
 * and nullability, and makes implicit coercions explicit Casts (runtime/expr/coercion.ts rules), so
 * a Binary's operands share a type and a Call's arguments match its signature. The output is the
 * resolved Expr the optimizer and workers trust.
 */
import { aggResultType, binaryTyping, commonType, rankingResultType } from "../expr/coercion.js";
import type { Expr, SortOrder, WindowSpec } from "../expr/ir.js";
import { exprToString } from "../expr/print.js";
import { type DataType, isNumeric, type Schema, typesEqual, typeToString, Types } from "../expr/types.js";
import { AnalysisError } from "./errors.js";
import { lookupFunction } from "./function-lookup.js";
import { columnRef, resolveField } from "./resolve-column.js";

export interface Typed {
  readonly expr: Expr;
  readonly type: DataType;
  readonly nullable: boolean;
}

export interface ExprContext {
  /** Where the expression appears, for messages: "filter", "select", "agg"... */
  readonly clause: string;
  /** Aggregates allowed here (groupBy().agg(), a global select of aggregates). */
  readonly allowAgg?: boolean;
  /** Window expressions allowed here (select, withColumn). */
  readonly allowWindow?: boolean;
}

/** Resolves and types `expr` over `schema`; throws AnalysisError with the expression and a fix. */
export function analyzeExpr(expr: Expr, schema: Schema, ctx: ExprContext): Typed {
  return new ExprAnalyzer(schema, ctx).run(expr, false);
}

/** Type of an already analyzed expression (for the optimizer and planners). */
export function typeOf(expr: Expr, schema: Schema): DataType {
  return analyzeExpr(expr, schema, { clause: "typeOf", allowAgg: true, allowWindow: true }).type;
}

export function nullableOf(expr: Expr, schema: Schema): boolean {
  return analyzeExpr(expr, schema, { clause: "typeOf", allowAgg: true, allowWindow: true }).nullable;
}

/** Wraps `e` in a Cast to `to` unless it already has that type; folds casts of simple literals. */
export function castTo(e: Typed, to: DataType): Expr {
  if (typesEqual(e.type, to)) return e.expr;
  const x = e.expr;
  if (x.kind === "Literal") {
    if (x.value === null) return { kind: "Literal", value: null, type: to };
    if (typeof x.value === "number" && Number.isInteger(x.value) && to.kind === "int64") return { kind: "Literal", value: BigInt(x.value), type: to };
    if (typeof x.value === "number" && to.kind === "float64") return { kind: "Literal", value: x.value, type: to };
    if (typeof x.value === "bigint" && to.kind === "float64") return { kind: "Literal", value: Number(x.value), type: to };
  }
  return { kind: "Cast", expr: x, to };
}

/** Casts Spark's non-ANSI mode allows (strings that fail to parse become null at run time). */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === "null" || typesEqual(from, to)) return true;
  if (to.kind === "string") return true;
  if (from.kind === "list" || to.kind === "list") {
    if (from.kind === "list" && to.kind === "list") return canCast(from.element, to.element);
    return false;
  }
  if (from.kind === "string") return true;
  const numericLike = (t: DataType) => isNumeric(t) || t.kind === "bool";
  if (numericLike(from) && numericLike(to)) return true;
  if ((from.kind === "date" || from.kind === "timestamp") && (to.kind === "date" || to.kind === "timestamp")) return true;
  if (from.kind === "timestamp" && isNumeric(to)) return true;
  if (isNumeric(from) && to.kind === "timestamp") return true;
  return false;
}

class ExprAnalyzer {
  constructor(private readonly schema: Schema, private readonly ctx: ExprContext) {}

  fail(message: string): never {
    throw new AnalysisError(message);
  }

  run(e: Expr, insideAgg: boolean): Typed {
    switch (e.kind) {
      case "Column": {
        const { field } = resolveField(this.schema, e.name, e.qualifier);
        return { expr: columnRef(field), type: field.type, nullable: field.nullable };
      }
      case "Literal":
        return { expr: e, type: e.type, nullable: e.value === null };
      case "Alias": {
        const inner = this.run(e.expr, insideAgg);
        return { ...inner, expr: { kind: "Alias", expr: inner.expr, name: e.name } };
      }
      case "Binary": return this.binary(e, insideAgg);
      case "Unary": {
        const inner = this.run(e.expr, insideAgg);
        const t = inner.type;
        switch (e.op) {
          case "not":
            if (t.kind !== "bool" && t.kind !== "null") this.fail(`Type mismatch in ${exprToString(e)}: NOT needs a boolean, got ${typeToString(t)}`);
            return { expr: { ...e, expr: castTo(inner, Types.bool) }, type: Types.bool, nullable: inner.nullable };
          case "negate":
            if (!isNumeric(t) && t.kind !== "null") this.fail(`Type mismatch in ${exprToString(e)}: negation needs a number, got ${typeToString(t)}`);
            return { expr: { ...e, expr: inner.expr }, type: t.kind === "null" ? Types.int32 : t, nullable: inner.nullable };
          case "isNaN":
            if (!isNumeric(t) && t.kind !== "null") this.fail(`Type mismatch in ${exprToString(e)}: isNaN needs a number, got ${typeToString(t)}`);
            return { expr: { ...e, expr: inner.expr }, type: Types.bool, nullable: inner.nullable };
          case "isNull": case "isNotNull":
            return { expr: { ...e, expr: inner.expr }, type: Types.bool, nullable: false };
        }
        break;
      }
      case "Cast": {
        const inner = this.run(e.expr, insideAgg);
        if (!canCast(inner.type, e.to)) {
          this.fail(`Cannot cast ${typeToString(inner.type)} to ${typeToString(e.to)} in ${exprToString(e)}; cast through string or use a function such as F.toDate`);
        }
        if (typesEqual(inner.type, e.to)) return inner;
        const fromString = inner.type.kind === "string";
        return { expr: castTo(inner, e.to), type: e.to, nullable: inner.nullable || fromString };
      }
      case "Case": return this.caseExpr(e, insideAgg);
      case "In": {
        const value = this.run(e.expr, insideAgg);
        const items = e.list.map((x) => this.run(x, insideAgg));
        let common: DataType | undefined = value.type;
        for (const item of items) {
          common = common && commonType(common, item.type);
          if (!common) this.fail(`Type mismatch in ${exprToString(e)}: ${typeToString(value.type)} cannot be compared with ${typeToString(item.type)}; cast the values to one type`);
        }
        const t = common ?? value.type;
        return {
          expr: { kind: "In", expr: castTo(value, t), list: items.map((i) => castTo(i, t)), negated: e.negated },
          type: Types.bool,
          nullable: value.nullable || items.some((i) => i.nullable),
        };
      }
      case "Call": return this.call(e, insideAgg);
      case "Agg": return this.agg(e, insideAgg);
      case "Ranking":
        this.fail(`${exprToString(e)} needs a window: write F.${e.fn === "row_number" ? "rowNumber" : e.fn}().over(Window.partitionBy(...).orderBy(...))`);
        break;
      case "Window": return this.window(e, insideAgg);
      case "Udf": {
        const args = e.args.map((a) => this.run(a, insideAgg));
        return { expr: { ...e, args: args.map((a) => a.expr) }, type: e.returnType, nullable: true };
      }
      case "Star":
        this.fail(`"*" is only allowed on its own in select() or count(); in ${this.ctx.clause} name the columns`);
    }
    return this.fail(`Unsupported expression ${exprToString(e)}`);
  }

  private binary(e: Expr & { kind: "Binary" }, insideAgg: boolean): Typed {
    let left = this.run(e.left, insideAgg);
    let right = this.run(e.right, insideAgg);
    // A string literal compared with a date or timestamp is parsed as one, as Spark does ("2024-01-01").
    const temporal = (t: DataType) => t.kind === "date" || t.kind === "timestamp";
    if (temporal(left.type) && right.type.kind === "string" && right.expr.kind === "Literal") right = { expr: { kind: "Cast", expr: right.expr, to: left.type }, type: left.type, nullable: right.nullable };
    if (temporal(right.type) && left.type.kind === "string" && left.expr.kind === "Literal") left = { expr: { kind: "Cast", expr: left.expr, to: right.type }, type: right.type, nullable: left.nullable };
    const typing = binaryTyping(e.op, left.type, right.type);
    if (!typing.ok) this.fail(`Type mismatch in ${exprToString(e)}: ${typing.message}`);
    const nullable = e.op === "<=>" ? false : left.nullable || right.nullable || e.op === "/" || e.op === "%";
    return {
      expr: { kind: "Binary", op: e.op, left: castTo(left, typing.operandType), right: castTo(right, typing.operandType) },
      type: typing.resultType,
      nullable,
    };
  }

  private caseExpr(e: Expr & { kind: "Case" }, insideAgg: boolean): Typed {
    const whens = e.branches.map((b) => {
      const cond = this.run(b.when, insideAgg);
      if (cond.type.kind !== "bool" && cond.type.kind !== "null") {
        this.fail(`Type mismatch in ${exprToString(e)}: when() conditions must be boolean, got ${typeToString(cond.type)} for ${exprToString(b.when)}`);
      }
      return cond;
    });
    const thens = e.branches.map((b) => this.run(b.then, insideAgg));
    const other = e.otherwise ? this.run(e.otherwise, insideAgg) : undefined;
    let t: DataType = Types.null;
    for (const v of other ? [...thens, other] : thens) {
      const next = commonType(t, v.type);
      if (!next) this.fail(`Type mismatch in ${exprToString(e)}: the branches mix ${typeToString(t)} and ${typeToString(v.type)}; cast them to one type`);
      t = next;
    }
    const branches = e.branches.map((_b, i) => ({ when: castTo(whens[i]!, Types.bool), then: castTo(thens[i]!, t) }));
    return {
      expr: { kind: "Case", branches, ...(other ? { otherwise: castTo(other, t) } : {}) },
      type: t,
      nullable: !other || other.nullable || thens.some((x) => x.nullable),
    };
  }

  private call(e: Expr & { kind: "Call" }, insideAgg: boolean): Typed {
    const def = lookupFunction(e.fn);
    if (!def.ok) this.fail(def.message);
    const fn = def.fn;
    const args = e.args.map((a) => this.run(a, insideAgg));
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      this.fail(`${e.fn}() takes ${expected} argument${expected === "1" ? "" : "s"}, got ${args.length} in ${exprToString(e)}`);
    }
    const argTypes = args.map((a) => a.type);
    const result = fn.resultType(argTypes);
    if (typeof result === "string") this.fail(`Type mismatch in ${exprToString(e)}: ${result}`);
    const targets = fn.castArgsTo ? fn.castArgsTo(argTypes) : argTypes;
    const castArgs = args.map((a, i) => castTo(a, targets[i] ?? a.type));
    const nullable = e.fn === "coalesce" ? args.every((a) => a.nullable) : true;
    return { expr: { kind: "Call", fn: e.fn, args: castArgs }, type: result, nullable };
  }

  private agg(e: Expr & { kind: "Agg" }, insideAgg: boolean): Typed {
    if (insideAgg) this.fail(`Aggregates cannot be nested: ${exprToString(e)} is inside another aggregate`);
    if (!this.ctx.allowAgg) {
      this.fail(
        `Aggregate ${exprToString(e)} is not allowed in ${this.ctx.clause}; use it in groupBy(...).agg(...), ` +
          `in select() over the whole table, or over a window with .over(Window...)`,
      );
    }
    const args = e.args.map((a) => this.run(a, true));
    const result = aggResultType(e.fn, args.map((a) => a.type));
    if (typeof result === "string") this.fail(`Type mismatch in ${exprToString(e)}: ${result}`);
    const nullable = !(e.fn === "count" || e.fn === "count_distinct" || e.fn === "approx_count_distinct");
    return { expr: { ...e, args: args.map((a) => a.expr) }, type: result, nullable };
  }

  private window(e: Expr & { kind: "Window" }, insideAgg: boolean): Typed {
    if (!this.ctx.allowWindow || insideAgg) {
      this.fail(`Window function ${exprToString(e.fn)} is not allowed in ${this.ctx.clause}; add it as a column with withColumn(...) first`);
    }
    const spec = this.windowSpec(e.spec, exprToString(e.fn));
    const fn = e.fn;
    if (fn.kind === "Ranking") {
      if (spec.orderBy.length === 0) this.fail(`${exprToString(fn)} needs an ordered window: add .orderBy(...) to the Window`);
      const args = fn.args.map((a) => this.run(a, false));
      const type = rankingResultType(fn.fn, args.map((a) => a.type));
      // lag/lead(value, offset, default): the default takes the value's type.
      const castArgs = args.map((a, i) => (i === 2 && (fn.fn === "lag" || fn.fn === "lead") ? this.castDefault(a, type, fn) : a.expr));
      const nullable = fn.fn === "lag" || fn.fn === "lead";
      return { expr: { kind: "Window", fn: { ...fn, args: castArgs }, spec }, type, nullable };
    }
    if (fn.kind === "Agg") {
      const inner = new ExprAnalyzer(this.schema, { ...this.ctx, allowAgg: true }).agg(fn, false);
      return { expr: { kind: "Window", fn: inner.expr, spec }, type: inner.type, nullable: inner.nullable };
    }
    return this.fail(`Only aggregate and ranking functions can be used with .over(window), not ${exprToString(fn)}`);
  }

  private castDefault(value: Typed, to: DataType, fn: Expr): Expr {
    if (!commonType(value.type, to)) this.fail(`Type mismatch in ${exprToString(fn)}: the default ${typeToString(value.type)} does not match the column's ${typeToString(to)}`);
    return castTo(value, to);
  }

  private windowSpec(spec: WindowSpec, what: string): WindowSpec {
    const plain = new ExprAnalyzer(this.schema, { clause: "a window's partitionBy/orderBy" });
    const partitionBy = spec.partitionBy.map((p) => plain.run(p, false).expr);
    const ordered = spec.orderBy.map((o) => ({ order: o, typed: plain.run(o.expr, false) }));
    const orderBy: SortOrder[] = ordered.map(({ order, typed }) => ({ ...order, expr: typed.expr }));
    const frame = spec.frame;
    if (frame?.type === "range" && (frame.start.kind === "offset" || frame.end.kind === "offset")) {
      if (ordered.length !== 1) this.fail(`rangeBetween with offsets in ${what} needs exactly one orderBy column, got ${ordered.length}`);
      const t = ordered[0]!.typed.type;
      if (!isNumeric(t) && t.kind !== "date" && t.kind !== "timestamp") {
        this.fail(`rangeBetween in ${what} needs a numeric, date or timestamp orderBy column, got ${typeToString(t)}; use rowsBetween for row counts`);
      }
    }
    return { partitionBy, orderBy, ...(frame ? { frame } : {}) };
  }
}
