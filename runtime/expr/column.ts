/**
 * The user-facing expression builder. TypeScript has no operator overloading, so operators are
 * methods (`col("a").add(1).gt(col("b"))`). A Column only wraps a plain Expr (ir.ts): building one
 * never looks at data or schemas; the analyzer resolves names and types when a DataFrame
 * transformation uses it.
 *
 * Where a method takes a value, a JS value is a literal (`col("status").eq("paid")`) and a Column is
 * an expression. Where a function takes a column (`F.sum("amount")`), a string is a column name.
 */
import type { BinaryOp, Expr, SortOrder, UnaryOp, WindowSpec } from "./ir.js";
import { type JsValue, literalExpr } from "./literal.js";
import { exprToString } from "./print.js";
import { parseType, type TypeSpec } from "./type-spec.js";

/** A value position: a Column, or a JS value taken as a literal. */
export type ValueLike = Column | JsValue;
/** A column position: a Column, or a string naming a column (`"o.id"` names `id` of alias `o`). */
export type ColumnLike = Column | string;

/** Anything that can describe a window: the `Window` builder (runtime/api/window.ts). */
export interface WindowSpecSource {
  toSpec(): WindowSpec;
}

export class Column {
  /** Sort direction chosen with asc()/desc(); orderBy reads it, everything else ignores it. */
  readonly sort: { readonly ascending: boolean; readonly nullsFirst: boolean } | undefined;

  constructor(readonly expr: Expr, sort?: { ascending: boolean; nullsFirst: boolean }) {
    this.sort = sort;
  }

  // arithmetic (x / 0 is null, as in Spark's default mode)
  add(other: ValueLike): Column { return this.binary("+", other); }
  plus(other: ValueLike): Column { return this.binary("+", other); }
  sub(other: ValueLike): Column { return this.binary("-", other); }
  minus(other: ValueLike): Column { return this.binary("-", other); }
  mul(other: ValueLike): Column { return this.binary("*", other); }
  multiply(other: ValueLike): Column { return this.binary("*", other); }
  div(other: ValueLike): Column { return this.binary("/", other); }
  divide(other: ValueLike): Column { return this.binary("/", other); }
  mod(other: ValueLike): Column { return this.binary("%", other); }
  negate(): Column { return this.unary("negate"); }

  // comparison (null in, null out; eqNullSafe treats two nulls as equal)
  eq(other: ValueLike): Column { return this.binary("=", other); }
  neq(other: ValueLike): Column { return this.binary("!=", other); }
  lt(other: ValueLike): Column { return this.binary("<", other); }
  le(other: ValueLike): Column { return this.binary("<=", other); }
  lte(other: ValueLike): Column { return this.binary("<=", other); }
  gt(other: ValueLike): Column { return this.binary(">", other); }
  ge(other: ValueLike): Column { return this.binary(">=", other); }
  gte(other: ValueLike): Column { return this.binary(">=", other); }
  eqNullSafe(other: ValueLike): Column { return this.binary("<=>", other); }

  // boolean (three-valued logic)
  and(other: ValueLike): Column { return this.binary("and", other); }
  or(other: ValueLike): Column { return this.binary("or", other); }
  not(): Column { return this.unary("not"); }

  isNull(): Column { return this.unary("isNull"); }
  isNotNull(): Column { return this.unary("isNotNull"); }
  isNaN(): Column { return this.unary("isNaN"); }

  /** Names the output column. */
  alias(name: string): Column {
    const inner = this.expr.kind === "Alias" ? this.expr.expr : this.expr;
    return new Column({ kind: "Alias", expr: inner, name }, this.sort);
  }
  as(name: string): Column { return this.alias(name); }
  name(name: string): Column { return this.alias(name); }

  /** `cast("int64")`, `cast("decimal(10,2)")`; strings that do not parse become null (Spark's non-ANSI cast). */
  cast(to: TypeSpec): Column { return new Column({ kind: "Cast", expr: this.expr, to: parseType(to) }); }
  astype(to: TypeSpec): Column { return this.cast(to); }

  /** lower <= x <= upper, both ends inclusive. */
  between(lower: ValueLike, upper: ValueLike): Column { return this.ge(lower).and(this.le(upper)); }
  /** `isin(1, 2, 3)` or `isin([1, 2, 3])`. */
  isin(...values: readonly (ValueLike | readonly JsValue[])[]): Column {
    const flat: ValueLike[] = values.length === 1 && Array.isArray(values[0]) ? [...(values[0] as readonly JsValue[])] : (values as ValueLike[]);
    return new Column({ kind: "In", expr: this.expr, list: flat.map(toExpr), negated: false });
  }
  /** SQL LIKE: `%` any run of characters, `_` one character. */
  like(pattern: string): Column { return this.call("like", pattern); }
  /** Regular-expression match anywhere in the string. */
  rlike(pattern: string): Column { return this.call("rlike", pattern); }
  startsWith(prefix: ValueLike): Column { return this.call("startswith", prefix); }
  endsWith(suffix: ValueLike): Column { return this.call("endswith", suffix); }
  contains(part: ValueLike): Column { return this.call("contains", part); }
  /** 1-based, like Spark: substr(1, 3) is the first three characters. */
  substr(start: number, length?: number): Column {
    return length === undefined ? this.call("substring", start) : this.call("substring", start, length);
  }

  /** Replaces null with `value` (coalesce). */
  fillNull(value: ValueLike): Column { return new Column({ kind: "Call", fn: "coalesce", args: [this.expr, toExpr(value)] }); }

  // sort orders for orderBy/sort/Window.orderBy: Spark's defaults put nulls first ascending, last descending.
  asc(): Column { return this.sorted(true, true); }
  desc(): Column { return this.sorted(false, false); }
  ascNullsFirst(): Column { return this.sorted(true, true); }
  ascNullsLast(): Column { return this.sorted(true, false); }
  descNullsFirst(): Column { return this.sorted(false, true); }
  descNullsLast(): Column { return this.sorted(false, false); }

  /** Evaluates an aggregate or ranking function over a window: `F.avg("x").over(Window.partitionBy("u").orderBy("d"))`. */
  over(window: WindowSpecSource): Column {
    const named = this.expr.kind === "Alias" ? this.expr : undefined;
    const fn = named ? named.expr : this.expr;
    const win: Expr = { kind: "Window", fn, spec: window.toSpec() };
    return new Column(named ? { kind: "Alias", expr: win, name: named.name } : win);
  }

  toString(): string { return `Column<${exprToString(this.expr)}>`; }

  protected binary(op: BinaryOp, other: ValueLike): Column {
    return new Column({ kind: "Binary", op, left: this.expr, right: toExpr(other) });
  }
  protected unary(op: UnaryOp): Column { return new Column({ kind: "Unary", op, expr: this.expr }); }
  protected call(fn: string, ...args: ValueLike[]): Column {
    return new Column({ kind: "Call", fn, args: [this.expr, ...args.map(toExpr)] });
  }
  private sorted(ascending: boolean, nullsFirst: boolean): Column { return new Column(this.expr, { ascending, nullsFirst }); }
}

/** `when(cond, value).when(cond2, value2).otherwise(other)`: a CASE expression. */
export class CaseColumn extends Column {
  constructor(
    private readonly branches: readonly { readonly when: Expr; readonly then: Expr }[],
    private readonly elseExpr?: Expr,
  ) {
    super({ kind: "Case", branches, ...(elseExpr ? { otherwise: elseExpr } : {}) });
  }
  when(condition: Column, value: ValueLike): CaseColumn {
    if (this.elseExpr) throw new Error("when() after otherwise(): put every when() before otherwise()");
    return new CaseColumn([...this.branches, { when: condition.expr, then: toExpr(value) }]);
  }
  otherwise(value: ValueLike): Column {
    if (this.elseExpr) throw new Error("otherwise() was already given for this when()");
    return new CaseColumn(this.branches, toExpr(value));
  }
}

/** A column by name: `col("user_id")`, `col("o.id")` (alias `o`), `col("*")`. */
export function col(name: string): Column {
  if (name === "*") return new Column({ kind: "Star" });
  if (name.endsWith(".*")) return new Column({ kind: "Star", qualifier: name.slice(0, -2) });
  return new Column({ kind: "Column", name });
}
export const column = col;

/** A literal: `lit(5)` (int32), `lit(5n)` (int64), `lit(1.5)`, `lit("x")`, `lit(new Date())` (timestamp), `lit(null)`. */
export function lit(value: JsValue, type?: TypeSpec): Column {
  return new Column(literalExpr(value, type === undefined ? undefined : parseType(type)));
}

export function when(condition: Column, value: ValueLike): CaseColumn {
  return new CaseColumn([{ when: condition.expr, then: toExpr(value) }]);
}

/** Value position: JS values are literals. */
export function toExpr(value: ValueLike): Expr {
  return value instanceof Column ? value.expr : literalExpr(value);
}

/** Column position: strings are column names. */
export function toColumnExpr(value: ColumnLike): Expr {
  return typeof value === "string" ? col(value).expr : value.expr;
}

export function toColumn(value: ColumnLike): Column {
  return typeof value === "string" ? col(value) : value;
}

/** A sort key from a column (using its asc()/desc() choice; ascending by default). */
export function toSortOrder(value: ColumnLike): SortOrder {
  const c = toColumn(value);
  const sort = c.sort ?? { ascending: true, nullsFirst: true };
  return { expr: c.expr, ascending: sort.ascending, nullsFirst: sort.nullsFirst };
}
