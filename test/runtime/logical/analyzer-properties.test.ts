/**
 * Properties of the analyzer over random expressions: it either accepts an expression or raises an
 * AnalysisError (never a crash), and an analyzed expression is a fixed point (re-analysis inserts
 * no more casts and gives the same type), which is what the optimizer and workers rely on.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnalysisError, col, Column, F, lit, session, when } from "../../../runtime/index.js";
import { analyzeExpr } from "../../../runtime/logical/analyze-expr.js";
import { exprKey } from "../../../runtime/logical/serialize.js";
import { optimize } from "../../../runtime/optimizer/index.js";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";

const s = session({ workers: 2 });
const df = s.createDataFrame([], { i: "int32", l: "int64", f: "float64", s: "string", b: "bool", d: "date", t: "timestamp" });

const leaf: fc.Arbitrary<Column> = fc.oneof(
  fc.constantFrom("i", "l", "f", "s", "b", "d", "t").map((n) => col(n)),
  fc.integer({ min: -5, max: 5 }).map((n) => lit(n)),
  fc.double({ noNaN: true, min: -10, max: 10 }).map((n) => lit(n)),
  fc.constantFrom("x", "2024-01-01").map((v) => lit(v)),
  fc.boolean().map((v) => lit(v)),
  fc.constant(lit(null)),
);

const expr: fc.Arbitrary<Column> = fc.letrec<{ e: Column }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(tie("e"), fc.constantFrom("add", "sub", "mul", "div", "mod", "eq", "lt", "ge", "and", "or", "eqNullSafe"), tie("e")).map(
      ([a, op, b]) => (a as unknown as Record<string, (x: Column) => Column>)[op]!.call(a, b),
    ),
    tie("e").map((a) => a.not()),
    tie("e").map((a) => a.isNull()),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, x, y]) => when(c, x).otherwise(y)),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => F.coalesce(a, b)),
    fc.tuple(tie("e"), fc.constantFrom("int64", "float64", "string", "date", "bool")).map(([a, t]) => a.cast(t)),
    tie("e").map((a) => F.upper(a)),
    tie("e").map((a) => F.year(a)),
  ),
})).e;

describe("analyzer properties", () => {
  it("accepts or rejects with an AnalysisError, and analyzed expressions are fixed points", () => {
    let accepted = 0;
    fc.assert(
      fc.property(expr, (c) => {
        let plan: LogicalPlan;
        try {
          plan = df.select(c.alias("out")).plan;
        } catch (e) {
          expect(e).toBeInstanceOf(AnalysisError);
          return;
        }
        accepted++;
        const project = plan as LogicalPlan & { kind: "Project" };
        const resolved = project.exprs[0]!;
        const again = analyzeExpr(resolved, df.schema, { clause: "select" });
        expect(exprKey(again.expr)).toBe(exprKey(resolved));
        expect(again.type).toEqual(plan.schema.fields[0]!.type);
        expect(() => optimize(plan)).not.toThrow();
      }),
      { numRuns: 400, seed: 42 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
