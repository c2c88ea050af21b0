import { describe, expect, it } from "vitest";
import type { Expr } from "../../../runtime/expr/ir.js";
import { Types } from "../../../runtime/expr/types.js";
import { simplifyExpressions } from "../../../runtime/optimizer/rules/simplify-expressions.js";
import { simplifyExpr } from "../../../runtime/optimizer/simplify-expr.js";
import { and, bin, bool, col, filter, gt, int, isNull, not, nullOf, or, project, alias, scan } from "./builders.js";

const x = col("x");

describe("simplifyExpr", () => {
  it("folds integer arithmetic with Spark's int32 wrap-around and x / 0 = null", () => {
    expect(simplifyExpr(bin("+", int(1), int(2)))).toEqual(int(3));
    expect(simplifyExpr(bin("+", int(2147483647), int(1)))).toEqual(int(-2147483648));
    expect(simplifyExpr(bin("/", int(1), int(0)))).toEqual(nullOf(Types.float64));
    expect(simplifyExpr(bin("/", int(3), int(2)))).toEqual({ kind: "Literal", value: 1.5, type: Types.float64 });
  });

  it("folds int64 arithmetic exactly beyond 2^53", () => {
    const big = (v: bigint): Expr => ({ kind: "Literal", value: v, type: Types.int64 });
    expect(simplifyExpr(bin("+", big(9007199254740993n), big(1n)))).toEqual(big(9007199254740994n));
  });

  it("applies boolean identities and three-valued logic", () => {
    expect(simplifyExpr(and(gt(x, int(1)), bool(true)))).toEqual(gt(x, int(1)));
    expect(simplifyExpr(and(gt(x, int(1)), bool(false)))).toEqual(bool(false));
    expect(simplifyExpr(or(gt(x, int(1)), bool(true)))).toEqual(bool(true));
    expect(simplifyExpr(or(bool(false), gt(x, int(1))))).toEqual(gt(x, int(1)));
    // null AND x is not foldable: it is false when x is false and null otherwise.
    const nullAnd = and(nullOf(Types.bool), gt(x, int(1)));
    expect(simplifyExpr(nullAnd)).toEqual(nullAnd);
  });

  it("removes double negation and negates comparisons", () => {
    expect(simplifyExpr(not(not(gt(x, int(1)))))).toEqual(gt(x, int(1)));
    expect(simplifyExpr(not(gt(x, int(1))))).toEqual(bin("<=", x, int(1)));
    expect(simplifyExpr(not(isNull(x)))).toEqual({ kind: "Unary", op: "isNotNull", expr: x });
  });

  it("propagates null through comparisons and arithmetic", () => {
    expect(simplifyExpr(gt(x, nullOf(Types.int32)))).toEqual(nullOf(Types.bool));
    expect(simplifyExpr(gt(bin("+", nullOf(Types.int32), int(1)), int(0)))).toEqual(nullOf(Types.bool));
  });

  it("simplifies CASE with literal conditions", () => {
    const c: Expr = { kind: "Case", branches: [{ when: bool(false), then: int(1) }, { when: gt(x, int(0)), then: int(2) }, { when: bool(true), then: int(3) }, { when: gt(x, int(9)), then: int(4) }] };
    expect(simplifyExpr(c)).toEqual({ kind: "Case", branches: [{ when: gt(x, int(0)), then: int(2) }], otherwise: int(3) });
    expect(simplifyExpr({ kind: "Case", branches: [{ when: bool(true), then: int(7) }], otherwise: int(0) })).toEqual(int(7));
    expect(simplifyExpr({ kind: "Case", branches: [{ when: nullOf(Types.bool), then: int(7) }] })).toEqual(nullOf(Types.int32));
  });

  it("folds casts of literals between numeric types", () => {
    expect(simplifyExpr({ kind: "Cast", expr: int(5), to: Types.int64 })).toEqual({ kind: "Literal", value: 5n, type: Types.int64 });
  });
});

describe("SimplifyExpressions rule", () => {
  it("folds expressions in every node and drops a Filter that became `true`", () => {
    const t = scan({ x: "int32" });
    const plan = project(filter(t, or(gt(x, int(1)), gt(int(2), int(1)))), alias(bin("+", x, bin("*", int(2), int(3))), "y"));
    const out = simplifyExpressions.apply(plan, {});
    expect(out.kind).toBe("Project");
    if (out.kind !== "Project") return;
    expect(out.input.kind).toBe("Scan");
    expect(out.exprs[0]).toEqual(alias(bin("+", x, int(6)), "y"));
  });
});
