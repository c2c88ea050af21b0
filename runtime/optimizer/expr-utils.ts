/**
 * Small, pure helpers over the expression IR used by the optimizer rules and the physical planner:
 * traversal, structural equality, conjunct splitting, column collection.
 */
import type { Expr, SortOrder } from "../expr/ir.js";
import { Types } from "../expr/types.js";

export type ColumnExpr = Expr & { kind: "Column" };

/** The direct sub-expressions of `e`, in a fixed order (the order `mapChildren` expects). */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "Column": case "Literal": case "Star":
      return [];
    case "Alias": case "Unary": case "Cast":
      return [e.expr];
    case "Binary":
      return [e.left, e.right];
    case "Case": {
      const out: Expr[] = [];
      for (const b of e.branches) out.push(b.when, b.then);
      if (e.otherwise) out.push(e.otherwise);
      return out;
    }
    case "In":
      return [e.expr, ...e.list];
    case "Call": case "Agg": case "Ranking": case "Udf":
      return e.args;
    case "Window":
      return [e.fn, ...e.spec.partitionBy, ...e.spec.orderBy.map((o) => o.expr)];
  }
}

/** Rebuilds `e` with each direct child replaced by `fn(child)`; returns `e` itself if nothing changed. */
export function mapChildren(e: Expr, fn: (child: Expr) => Expr): Expr {
  const kids = exprChildren(e);
  if (kids.length === 0) return e;
  const mapped = kids.map(fn);
  if (mapped.every((m, i) => m === kids[i])) return e;
  let i = 0;
  const next = (): Expr => mapped[i++]!;
  switch (e.kind) {
    case "Alias": return { ...e, expr: next() };
    case "Unary": return { ...e, expr: next() };
    case "Cast": return { ...e, expr: next() };
    case "Binary": return { ...e, left: next(), right: next() };
    case "Case": {
      const branches = e.branches.map(() => ({ when: next(), then: next() }));
      return e.otherwise ? { ...e, branches, otherwise: next() } : { ...e, branches };
    }
    case "In": return { ...e, expr: next(), list: e.list.map(() => next()) };
    case "Call": return { ...e, args: e.args.map(() => next()) };
    case "Agg": return { ...e, args: e.args.map(() => next()) };
    case "Ranking": return { ...e, args: e.args.map(() => next()) };
    case "Udf": return { ...e, args: e.args.map(() => next()) };
    case "Window": {
      const fnExpr = next();
      const partitionBy = e.spec.partitionBy.map(() => next());
      const orderBy = e.spec.orderBy.map((o) => ({ ...o, expr: next() }));
      return { ...e, fn: fnExpr, spec: { ...e.spec, partitionBy, orderBy } };
    }
    default:
      return e;
  }
}

/** Bottom-up rewrite: children first, then `fn` on the rebuilt node. */
export function transformExpr(e: Expr, fn: (e: Expr) => Expr): Expr {
  return fn(mapChildren(e, (c) => transformExpr(c, fn)));
}

/** Every node of `e`, pre-order. */
export function* walkExpr(e: Expr): Generator<Expr> {
  yield e;
  for (const c of exprChildren(e)) yield* walkExpr(c);
}

export function columnsOf(e: Expr): ColumnExpr[] {
  const out: ColumnExpr[] = [];
  for (const n of walkExpr(e)) if (n.kind === "Column") out.push(n);
  return out;
}

export function columnsOfAll(es: readonly Expr[]): ColumnExpr[] {
  return es.flatMap(columnsOf);
}

export function columnsOfOrders(orders: readonly SortOrder[]): ColumnExpr[] {
  return orders.flatMap((o) => columnsOf(o.expr));
}

export function containsKind(e: Expr, kinds: readonly Expr["kind"][]): boolean {
  for (const n of walkExpr(e)) if (kinds.includes(n.kind)) return true;
  return false;
}

/** A canonical string for structural comparison (bigint-safe, key-order independent enough for our plain data). */
export function exprKey(e: Expr | SortOrder | readonly (Expr | SortOrder)[]): string {
  return JSON.stringify(e, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

export function exprEquals(a: Expr, b: Expr): boolean {
  return a === b || exprKey(a) === exprKey(b);
}

export function splitConjuncts(e: Expr): Expr[] {
  if (e.kind === "Binary" && e.op === "and") return [...splitConjuncts(e.left), ...splitConjuncts(e.right)];
  return [e];
}

/** AND of the conjuncts, left-deep; `true` for an empty list. */
export function conjoin(conjuncts: readonly Expr[]): Expr {
  if (conjuncts.length === 0) return lit(true);
  return conjuncts.reduce((acc, c) => ({ kind: "Binary", op: "and", left: acc, right: c }));
}

/** Removes duplicates by structure, keeping the first occurrence. */
export function dedupeExprs(es: readonly Expr[]): Expr[] {
  const seen = new Set<string>();
  const out: Expr[] = [];
  for (const e of es) {
    const k = exprKey(e);
    if (!seen.has(k)) { seen.add(k); out.push(e); }
  }
  return out;
}

export function stripAlias(e: Expr): Expr {
  return e.kind === "Alias" ? stripAlias(e.expr) : e;
}

export function lit(value: boolean | null): Expr {
  return { kind: "Literal", value, type: value === null ? Types.null : Types.bool };
}

export function isLiteralBool(e: Expr, value: boolean): boolean {
  return e.kind === "Literal" && e.value === value;
}

export function isNullLiteral(e: Expr): boolean {
  return e.kind === "Literal" && e.value === null;
}

/** Expressions whose value may differ between two evaluations of the same row (never moved or merged). */
export function isNondeterministic(e: Expr): boolean {
  for (const n of walkExpr(e)) {
    if (n.kind === "Call" && (n.fn === "rand" || n.fn === "randn" || n.fn === "monotonically_increasing_id" || n.fn === "uuid")) return true;
  }
  return false;
}
