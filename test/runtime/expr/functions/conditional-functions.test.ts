import { describe, expect, it } from "vitest";
import { compileExpr } from "../../../../runtime/expr/kernels/compile.js";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, call, col, evalExpr, i32, lit, str } from "../kernels/helpers.js";

const b = batchOf({
  a: [Types.int32, [1, null, null, 4]],
  c: [Types.int64, [10n, 20n, null, 40n]],
  s: [Types.string, [null, "x", null, "y"]],
});

describe("coalesce", () => {
  it("takes the first non-null value, widening to the common type", () => {
    expect(evalExpr(call("coalesce", col("a"), col("c")), b)).toEqual([1n, 20n, null, 4n]);
    expect(evalExpr(call("coalesce", col("a"), col("c"), i32(0)), b)).toEqual([1n, 20n, 0n, 4n]);
    expect(compileExpr(call("coalesce", col("a"), col("c")), b.schema).type).toEqual(Types.int64);
  });
  it("works on strings", () => {
    expect(evalExpr(call("coalesce", col("s"), str("none")), b)).toEqual(["none", "x", "none", "y"]);
  });
  it("ifnull and nvl are two-argument coalesce", () => {
    expect(evalExpr(call("ifnull", col("a"), i32(-1)), b)).toEqual([1, -1, -1, 4]);
    expect(evalExpr(call("nvl", col("s"), str("?")), b)).toEqual(["?", "x", "?", "y"]);
  });
  it("mixing types with no common type is an error naming them", () => {
    expect(() => compileExpr(call("coalesce", col("a"), col("s")), b.schema)).toThrow(/no common type \(int32, string\)/);
  });
});

describe("nullif", () => {
  it("turns a sentinel into null", () => {
    const n = batchOf({ v: [Types.int32, [-1, 5, null]] });
    expect(evalExpr(call("nullif", col("v"), i32(-1)), n)).toEqual([null, 5, null]);
  });
});

describe("greatest / least", () => {
  it("skip nulls; all null gives null", () => {
    expect(evalExpr(call("greatest", col("a"), col("c")), b)).toEqual([10n, 20n, null, 40n]);
    expect(evalExpr(call("least", col("a"), col("c")), b)).toEqual([1n, 20n, null, 4n]);
    expect(evalExpr(call("greatest", col("s"), str("m")), b)).toEqual(["m", "x", "m", "y"]);
    expect(evalExpr(call("least", lit(null, Types.null), col("a")), b)).toEqual([1, null, null, 4]);
  });
});

describe("greatest / least with NaN", () => {
  it("NaN is the largest number", () => {
    const n = batchOf({ x: [Types.float64, [NaN, 1, NaN]], y: [Types.float64, [1, NaN, NaN]] });
    expect(evalExpr(call("greatest", col("x"), col("y")), n)).toEqual([NaN, NaN, NaN]);
    expect(evalExpr(call("least", col("x"), col("y")), n)).toEqual([1, 1, NaN]);
  });
});
