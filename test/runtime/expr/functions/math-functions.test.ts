import { describe, expect, it } from "vitest";
import { compileExpr } from "../../../../runtime/expr/kernels/compile.js";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, call, col, evalExpr, f64, i32 } from "../kernels/helpers.js";

const b = batchOf({
  x: [Types.float64, [2.5, -2.5, 1.005, 0, null, -0.4]],
  n: [Types.int32, [1250, -1250, 7, 0, null, -1]],
  d: [Types.decimal(8, 3), [2345n, -2345n, 1000n, 0n, null, -1n]],
});

describe("round (HALF_UP, as Spark)", () => {
  it("rounds halves away from zero using the decimal value", () => {
    expect(evalExpr(call("round", col("x")), b)).toEqual([3, -3, 1, 0, null, -0]);
    expect(evalExpr(call("round", col("x"), i32(2)), b)).toEqual([2.5, -2.5, 1.01, 0, null, -0.4]);
  });
  it("keeps integer and decimal types; negative scale rounds to tens", () => {
    expect(evalExpr(call("round", col("n"), i32(-2)), b)).toEqual([1300, -1300, 0, 0, null, 0]);
    // 2.345 -> 2.35 (unscaled at scale 3: 2350)
    expect(evalExpr(call("round", col("d"), i32(2)), b)).toEqual([2350n, -2350n, 1000n, 0n, null, 0n]);
    expect(compileExpr(call("round", col("d"), i32(2)), b.schema).type).toEqual(Types.decimal(8, 3));
  });
});

describe("abs, floor, ceil", () => {
  it("abs keeps the type", () => {
    expect(evalExpr(call("abs", col("n")), b)).toEqual([1250, 1250, 7, 0, null, 1]);
    expect(evalExpr(call("abs", col("d")), b)).toEqual([2345n, 2345n, 1000n, 0n, null, 1n]);
  });
  it("floor and ceil of doubles give int64", () => {
    expect(evalExpr(call("floor", col("x")), b)).toEqual([2n, -3n, 1n, 0n, null, -1n]);
    expect(evalExpr(call("ceil", col("x")), b)).toEqual([3n, -2n, 2n, 0n, null, 0n]);
  });
  it("floor and ceil of decimals keep exact digits at scale 0", () => {
    expect(evalExpr(call("floor", col("d")), b)).toEqual([2n, -3n, 1n, 0n, null, -1n]);
    expect(evalExpr(call("ceil", col("d")), b)).toEqual([3n, -2n, 1n, 0n, null, 0n]);
  });
});

describe("logarithms, exp, sqrt, pow", () => {
  it("log of x <= 0 is null", () => {
    expect(evalExpr(call("log", col("x")), b)).toEqual([Math.log(2.5), null, Math.log(1.005), null, null, null]);
    expect(evalExpr(call("log10", f64(1000)), b)[0]).toBeCloseTo(3, 12);
    expect(evalExpr(call("log", i32(2), i32(8)), b)[0]).toBeCloseTo(3, 12);
    expect(evalExpr(call("ln", i32(1)), b)[0]).toBe(0);
  });
  it("integers are cast to float64", () => {
    expect(evalExpr(call("sqrt", col("n")), b)).toEqual([Math.sqrt(1250), NaN, Math.sqrt(7), 0, null, NaN]);
    expect(evalExpr(call("pow", col("n"), i32(2)), b)).toEqual([1562500, 1562500, 49, 0, null, 1]);
    expect(evalExpr(call("exp", i32(0)), b)[0]).toBe(1);
  });
  it("isnan is never null", () => {
    const n = batchOf({ v: [Types.float64, [NaN, 1, null]] });
    expect(evalExpr(call("isnan", col("v")), n)).toEqual([true, false, false]);
  });
  it("strings are rejected with the expected type", () => {
    const s = batchOf({ s: [Types.string, ["1"]] });
    expect(() => compileExpr(call("sqrt", col("s")), s.schema)).toThrow(/sqrt: argument 1 must be a number, got string/);
  });
});

describe("round fast path", () => {
  it("agrees with HALF_UP on the decimal text for any double and scale", async () => {
    const fc = (await import("fast-check")).default;
    const { roundHalfUp, roundHalfUpByText } = await import("../../../../runtime/expr/functions/math-functions.js");
    fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 8 }), (x, d) => {
      expect(roundHalfUp(x, d)).toBe(roundHalfUpByText(x, d));
    }), { numRuns: 3000 });
    // Ties written in decimal round away from zero even when the double is just below .5.
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(-0.125, 2)).toBe(-0.13);
    expect(roundHalfUp(2.675, 2)).toBe(2.68);
  });
});
