import { describe, expect, it } from "vitest";
import { col, F, session } from "../../../runtime/index.js";
import { freeVariables } from "../../../runtime/api/udf.js";

describe("F.udf", () => {
  it("accepts functions that only use their arguments, locals and globals", () => {
    const score = F.udf((x: number, y: number) => {
      const z = Math.max(x, y);
      const { a, b } = { a: z, b: 2 };
      return [1, 2].map((v) => v * a + b).reduce((p, q) => p + q, 0);
    }, "float64");
    const df = session({ workers: 2 }).createDataFrame([{ x: 1, y: 2 }]);
    const out = df.select(score("x", col("y")).alias("s"));
    expect(out.dtypes).toEqual([["s", "float64"]]);
    const e = (out.plan as { exprs: readonly { expr: { kind: string; source: string } }[] }).exprs[0]!.expr;
    expect(e.kind).toBe("Udf");
    expect(e.source).toContain("Math.max");
  });

  it("rejects a closure at definition time, naming the variable", () => {
    const threshold = 10;
    expect(() => F.udf((x: number) => x > threshold, "bool")).toThrow(/uses "threshold" from outside its body.*lit\(threshold\)/);
  });

  it("finds free variables in nested functions and ignores property names", () => {
    expect(freeVariables("function f(a) { return a.length + outer.value + helper(a) }")).toEqual(["outer", "helper"]);
    expect(freeVariables("(a) => ({ key: a, [a]: 1 })")).toEqual([]);
    expect(freeVariables("m(a) { try { return a } catch (err) { return err } }")).toEqual([]);
  });

  it("rejects async and native functions", () => {
    expect(() => F.udf(async (x: number) => x, "int32")).toThrow(/async functions are not supported/);
    expect(() => F.udf(Math.abs as (x: never) => number, "float64")).toThrow(/no source/);
  });
});
