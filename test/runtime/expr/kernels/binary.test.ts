import { describe, expect, it } from "vitest";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, bin, col, dictColumn, evalExpr, f64, i32, lit, str } from "./helpers.js";
import type { Batch } from "../../../../runtime/batch/column.js";

describe("arithmetic", () => {
  const b = batchOf({
    a: [Types.int32, [7, -7, null, 2147483647, 0]],
    b: [Types.int32, [2, 2, 3, 1, 0]],
    x: [Types.float64, [1.5, -0.5, 2, null, 0]],
  });

  it("int32 + - * % with nulls, wrapping like Java ints", () => {
    expect(evalExpr(bin("+", col("a"), col("b")), b)).toEqual([9, -5, null, -2147483648, 0]);
    expect(evalExpr(bin("-", col("a"), i32(1)), b)).toEqual([6, -8, null, 2147483646, -1]);
    expect(evalExpr(bin("*", i32(3), col("b")), b)).toEqual([6, 6, 9, 3, 0]);
    expect(evalExpr(bin("%", col("a"), col("b")), b)).toEqual([1, -1, null, 0, null]);
  });

  it("division always gives float64 and x / 0 gives null", () => {
    expect(evalExpr(bin("/", col("a"), col("b")), b)).toEqual([3.5, -3.5, null, 2147483647, null]);
    expect(evalExpr(bin("/", col("x"), f64(0)), b)).toEqual([null, null, null, null, null]);
    expect(evalExpr(bin("/", f64(1), col("x")), b)).toEqual([1 / 1.5, -2, 0.5, null, null]);
  });

  it("mixed int32 and float64 operands are widened", () => {
    expect(evalExpr(bin("+", col("a"), col("x")), b)).toEqual([8.5, -7.5, null, null, 0]);
    expect(evalExpr(bin("*", col("b"), f64(0.5)), b)).toEqual([1, 1, 1.5, 0.5, 0]);
  });

  it("int64 is exact beyond 2^53 and mixes with int32", () => {
    const big = batchOf({ v: [Types.int64, [9007199254740993n, -9007199254740993n, null]], k: [Types.int32, [1, 2, 3]] });
    expect(evalExpr(bin("+", col("v"), col("k")), big)).toEqual([9007199254740994n, -9007199254740991n, null]);
    expect(evalExpr(bin("*", col("v"), lit(2n, Types.int64)), big)).toEqual([18014398509481986n, -18014398509481986n, null]);
    expect(evalExpr(bin("%", col("v"), lit(0n, Types.int64)), big)).toEqual([null, null, null]);
    expect(evalExpr(bin(">", col("v"), lit(9007199254740992n, Types.int64)), big)).toEqual([true, false, null]);
  });

  it("decimals keep their scale; multiply and divide round HALF_UP", () => {
    const d = batchOf({ p: [Types.decimal(10, 2), [1050n, -333n, null]], q: [Types.decimal(10, 2), [300n, 200n, 100n]] });
    // 10.50 + 3.00 = 13.50; -3.33 + 2.00 = -1.33
    expect(evalExpr(bin("+", col("p"), col("q")), d)).toEqual([1350n, -133n, null]);
    // 10.50 * 3.00 = 31.50; -3.33 * 2.00 = -6.66
    expect(evalExpr(bin("*", col("p"), col("q")), d)).toEqual([3150n, -666n, null]);
    // 10.50 / 3.00 = 3.500000 at scale 6; -3.33 / 2 = -1.665000
    expect(evalExpr(bin("/", col("p"), col("q")), d)).toEqual([3500000n, -1665000n, null]);
    expect(evalExpr(bin("/", col("p"), lit(0n, Types.decimal(10, 2))), d)).toEqual([null, null, null]);
  });

  it("decimal with an integer column", () => {
    const d = batchOf({ p: [Types.decimal(10, 2), [1050n]], n: [Types.int32, [2]] });
    expect(evalExpr(bin("+", col("p"), col("n")), d)).toEqual([1250n]);
  });
});

describe("comparisons", () => {
  const b = batchOf({
    a: [Types.int32, [1, 2, 3, null]],
    s: [Types.string, ["apple", "Banana", "cherry", null]],
    d: [Types.date, [0, 19000, 20000, null]],
  });

  it("numbers, with a constant on either side", () => {
    expect(evalExpr(bin("<", col("a"), i32(2)), b)).toEqual([true, false, false, null]);
    expect(evalExpr(bin("<", i32(2), col("a")), b)).toEqual([false, false, true, null]);
    expect(evalExpr(bin(">=", col("a"), f64(2.0)), b)).toEqual([false, true, true, null]);
    expect(evalExpr(bin("!=", col("a"), i32(2)), b)).toEqual([true, false, true, null]);
  });

  it("comparing with a null literal gives null", () => {
    expect(evalExpr(bin("=", col("a"), lit(null, Types.null)), b)).toEqual([null, null, null, null]);
  });

  it("strings compare by code point (uppercase before lowercase)", () => {
    expect(evalExpr(bin("<", col("s"), str("b")), b)).toEqual([true, true, false, null]);
    expect(evalExpr(bin("=", col("s"), str("cherry")), b)).toEqual([false, false, true, null]);
    expect(evalExpr(bin(">", str("b"), col("s")), b)).toEqual([true, true, false, null]);
  });

  it("dictionary strings compare per entry and keep row nulls", () => {
    const d: Batch = { schema: { fields: [{ name: "c", type: Types.string, nullable: true }] }, length: 5, columns: [dictColumn(["x", "y", null, "x", "é"])] };
    expect(evalExpr(bin("=", col("c"), str("x")), d)).toEqual([true, false, null, true, false]);
    expect(evalExpr(bin(">", col("c"), str("x")), d)).toEqual([false, true, null, false, true]);
  });

  it("dates compare with timestamps by widening", () => {
    const t = batchOf({ d: [Types.date, [1, 2]], ts: [Types.timestamp, [86_400_000_000n, 86_400_000_000n]] });
    expect(evalExpr(bin("=", col("d"), col("ts")), t)).toEqual([true, false]);
  });

  it("null-safe equality is never null", () => {
    const n = batchOf({ x: [Types.int32, [1, null, null, 2]], y: [Types.int32, [1, null, 3, 3]] });
    expect(evalExpr(bin("<=>", col("x"), col("y")), n)).toEqual([true, true, false, false]);
    expect(evalExpr(bin("<=>", col("x"), lit(null, Types.int32)), n)).toEqual([false, true, true, false]);
    const s = batchOf({ x: [Types.string, ["a", null]], y: [Types.string, [null, null]] });
    expect(evalExpr(bin("<=>", col("x"), col("y")), s)).toEqual([false, true]);
  });

  it("rejects comparisons without a common type, naming both types", () => {
    expect(() => evalExpr(bin("=", col("a"), col("s")), b)).toThrow(/cannot apply "=" to int32 and string/);
  });
});

describe("three-valued logic", () => {
  const T = true, F = false, N = null;
  const left = [T, T, T, F, F, F, N, N, N];
  const right = [T, F, N, T, F, N, T, F, N];
  const b = batchOf({ l: [Types.bool, left], r: [Types.bool, right] });

  it("and: false wins over null", () => {
    expect(evalExpr(bin("and", col("l"), col("r")), b)).toEqual([T, F, N, F, F, F, N, F, N]);
  });

  it("or: true wins over null", () => {
    expect(evalExpr(bin("or", col("l"), col("r")), b)).toEqual([T, T, T, T, F, N, T, N, N]);
  });

  it("not keeps null", () => {
    expect(evalExpr({ kind: "Unary", op: "not", expr: col("l") }, b)).toEqual([F, F, F, T, T, T, N, N, N]);
  });

  it("and/or with a null literal", () => {
    expect(evalExpr(bin("and", col("l"), lit(null, Types.null)), b)).toEqual([N, N, N, F, F, F, N, N, N]);
  });
});

describe("unary operators", () => {
  const b = batchOf({ x: [Types.float64, [NaN, 1, null]], i: [Types.int64, [5n, -9223372036854775807n, null]] });
  it("isNull / isNotNull / isNaN are never null", () => {
    expect(evalExpr({ kind: "Unary", op: "isNull", expr: col("x") }, b)).toEqual([false, false, true]);
    expect(evalExpr({ kind: "Unary", op: "isNotNull", expr: col("x") }, b)).toEqual([true, true, false]);
    expect(evalExpr({ kind: "Unary", op: "isNaN", expr: col("x") }, b)).toEqual([true, false, false]);
  });
  it("negate keeps the type", () => {
    expect(evalExpr({ kind: "Unary", op: "negate", expr: col("i") }, b)).toEqual([-5n, 9223372036854775807n, null]);
    expect(evalExpr({ kind: "Unary", op: "negate", expr: col("x") }, b)).toEqual([NaN, -1, null]);
  });
});

describe("NaN in comparisons (Spark: NaN = NaN, NaN above every number)", () => {
  const b = batchOf({ x: [Types.float64, [NaN, NaN, 1, Infinity]], y: [Types.float64, [NaN, 1, NaN, NaN]] });
  it("equality and order", () => {
    expect(evalExpr(bin("=", col("x"), col("y")), b)).toEqual([true, false, false, false]);
    expect(evalExpr(bin("!=", col("x"), col("y")), b)).toEqual([false, true, true, true]);
    expect(evalExpr(bin("<", col("x"), col("y")), b)).toEqual([false, false, true, true]);
    expect(evalExpr(bin("<=", col("x"), col("y")), b)).toEqual([true, false, true, true]);
    expect(evalExpr(bin(">", col("x"), col("y")), b)).toEqual([false, true, false, false]);
    expect(evalExpr(bin(">=", col("x"), col("y")), b)).toEqual([true, true, false, false]);
    expect(evalExpr(bin(">", col("x"), f64(1e308)), b)).toEqual([true, true, false, true]);
  });
});
