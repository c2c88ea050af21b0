/** Generic walks over the Expr IR, so each pass only handles the node kinds it cares about. */
import type { Expr } from "./ir.js";

/** The direct sub-expressions of `e`, in evaluation order. */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "Column": case "Literal": case "Star": return [];
    case "Alias": case "Unary": case "Cast": return [e.expr];
    case "Binary": return [e.left, e.right];
    case "Case": return [...e.branches.flatMap((b) => [b.when, b.then]), ...(e.otherwise ? [e.otherwise] : [])];
    case "In": return [e.expr, ...e.list];
    case "Call": case "Agg": case "Ranking": case "Udf": return e.args;
    case "Window": return [e.fn, ...e.spec.partitionBy, ...e.spec.orderBy.map((o) => o.expr)];
  }
}

/** Rebuilds `e` bottom-up, applying `fn` to every node after its children were rewritten. */
export function mapExpr(e: Expr, fn: (node: Expr) => Expr): Expr {
  const m = (x: Expr) => mapExpr(x, fn);
  let rebuilt: Expr;
  switch (e.kind) {
    case "Column": case "Literal": case "Star": rebuilt = e; break;
    case "Alias": case "Unary": case "Cast": rebuilt = { ...e, expr: m(e.expr) }; break;
    case "Binary": rebuilt = { ...e, left: m(e.left), right: m(e.right) }; break;
    case "Case":
      rebuilt = {
        ...e,
        branches: e.branches.map((b) => ({ when: m(b.when), then: m(b.then) })),
        ...(e.otherwise ? { otherwise: m(e.otherwise) } : {}),
      };
      break;
    case "In": rebuilt = { ...e, expr: m(e.expr), list: e.list.map(m) }; break;
    case "Call": case "Agg": case "Ranking": case "Udf": rebuilt = { ...e, args: e.args.map(m) } as Expr; break;
    case "Window":
      rebuilt = {
        ...e,
        fn: m(e.fn),
        spec: { ...e.spec, partitionBy: e.spec.partitionBy.map(m), orderBy: e.spec.orderBy.map((o) => ({ ...o, expr: m(o.expr) })) },
      };
      break;
  }
  return fn(rebuilt);
}

/** True if `pred` holds for `e` or any sub-expression (not descending below nodes where `stop` holds). */
export function exprContains(e: Expr, pred: (node: Expr) => boolean, stop?: (node: Expr) => boolean): boolean {
  if (pred(e)) return true;
  if (stop?.(e)) return false;
  return exprChildren(e).some((c) => exprContains(c, pred, stop));
}

export function stripAlias(e: Expr): Expr {
  return e.kind === "Alias" ? stripAlias(e.expr) : e;
}
