import { describe, expect, it } from "vitest";
import type { Batch } from "../../../../runtime/batch/column.js";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, call, col, dictColumn, evalExpr, i32, str } from "../kernels/helpers.js";

const b = batchOf({ s: [Types.string, ["Hello", "Zürich", null, "  padded  ", "", "ΑΒΓ😀x"]] });
const dict: Batch = { schema: { fields: [{ name: "s", type: Types.string, nullable: true }] }, length: 5, columns: [dictColumn(["Ab", null, "ÉCOLE", "Ab", " z "])] };

describe("case mapping", () => {
  it("lower/upper handle ASCII and non-ASCII, null stays null", () => {
    expect(evalExpr(call("lower", col("s")), b)).toEqual(["hello", "zürich", null, "  padded  ", "", "αβγ😀x"]);
    expect(evalExpr(call("upper", col("s")), b)).toEqual(["HELLO", "ZÜRICH", null, "  PADDED  ", "", "ΑΒΓ😀X"]);
  });
  it("ASCII-only columns take the byte path", () => {
    const a = batchOf({ s: [Types.string, ["aBc", null, "Q-1"]] });
    expect(evalExpr(call("upper", col("s")), a)).toEqual(["ABC", null, "Q-1"]);
  });
  it("dictionary input is mapped once per entry", () => {
    expect(evalExpr(call("lower", col("s")), dict)).toEqual(["ab", null, "école", "ab", " z "]);
    expect(evalExpr(call("length", col("s")), dict)).toEqual([2, null, 5, 2, 3]);
    expect(evalExpr(call("trim", col("s")), dict)).toEqual(["Ab", null, "ÉCOLE", "Ab", "z"]);
  });
});

describe("length and substring count characters, not bytes", () => {
  it("length", () => {
    expect(evalExpr(call("length", col("s")), b)).toEqual([5, 6, null, 10, 0, 5]);
  });
  it("substring is 1-based; 0 acts as 1; negative counts from the end", () => {
    expect(evalExpr(call("substring", col("s"), i32(2), i32(3)), b)).toEqual(["ell", "üri", null, " pa", "", "ΒΓ😀"]);
    expect(evalExpr(call("substring", col("s"), i32(0), i32(2)), b)).toEqual(["He", "Zü", null, "  ", "", "ΑΒ"]);
    expect(evalExpr(call("substring", col("s"), i32(-3)), b)).toEqual(["llo", "ich", null, "d  ", "", "Γ😀x"]);
    // Spark: start = 6 - 10 = -4, end = -4 + 7 = 3, so characters 0..3.
    expect(evalExpr(call("substring", col("s"), i32(-10), i32(7)), batchOf({ s: [Types.string, ["abcdef"]] }))).toEqual(["abc"]);
    expect(evalExpr(call("substring", col("s"), i32(-8), i32(4)), batchOf({ s: [Types.string, ["abcdef"]] }))).toEqual(["ab"]);
    expect(evalExpr(call("substring", col("s"), i32(3), i32(-1)), batchOf({ s: [Types.string, ["abcdef"]] }))).toEqual([""]);
    expect(evalExpr(call("substring", col("s"), i32(10)), batchOf({ s: [Types.string, ["abc"]] }))).toEqual([""]);
  });
  it("a null position gives null", () => {
    expect(evalExpr(call("substring", col("s"), { kind: "Literal", value: null, type: Types.int32 }), batchOf({ s: [Types.string, ["abc"]] }))).toEqual([null]);
  });
});

describe("trim", () => {
  const t = batchOf({ s: [Types.string, ["  a b  ", "\tx ", null, "xxhixx"]] });
  it("removes spaces only (not tabs), like Spark", () => {
    expect(evalExpr(call("trim", col("s")), t)).toEqual(["a b", "\tx", null, "xxhixx"]);
    expect(evalExpr(call("ltrim", col("s")), t)).toEqual(["a b  ", "\tx ", null, "xxhixx"]);
    expect(evalExpr(call("rtrim", col("s")), t)).toEqual(["  a b", "\tx", null, "xxhixx"]);
  });
  it("with a set of characters", () => {
    expect(evalExpr(call("trim", col("s"), str("x")), t)).toEqual(["  a b  ", "\tx ", null, "hi"]);
  });
});

describe("concat", () => {
  const c = batchOf({ a: [Types.string, ["x", null, "é"]], n: [Types.int32, [1, 2, null]] });
  it("concat gives null when any argument is null; numbers are cast to text", () => {
    expect(evalExpr(call("concat", col("a"), str("-"), col("n")), c)).toEqual(["x-1", null, null]);
  });
  it("concat_ws skips nulls", () => {
    expect(evalExpr(call("concat_ws", str(", "), col("a"), col("n"), str("end")), c)).toEqual(["x, 1, end", "2, end", "é, end"]);
    expect(evalExpr(call("concat_ws", { kind: "Literal", value: null, type: Types.string }, col("a")), c)).toEqual([null, null, null]);
  });
});

describe("startswith / endswith / contains", () => {
  const s = batchOf({ s: [Types.string, ["report.csv", "data.json", null, "csv"]] });
  it("compare bytes and pass nulls", () => {
    expect(evalExpr(call("endswith", col("s"), str(".csv")), s)).toEqual([true, false, null, false]);
    expect(evalExpr(call("startswith", col("s"), str("data")), s)).toEqual([false, true, null, false]);
    expect(evalExpr(call("contains", col("s"), str("csv")), s)).toEqual([true, false, null, true]);
    expect(evalExpr(call("contains", col("s"), str("")), s)).toEqual([true, true, null, true]);
  });
  it("work on dictionaries", () => {
    expect(evalExpr(call("startswith", col("s"), str("A")), dict)).toEqual([true, null, false, true, false]);
  });
});

describe("substring on ASCII text with constant positions (byte path)", () => {
  const a = batchOf({ s: [Types.string, ["abcdef", null, "xy", ""]] });
  it("matches the character semantics", () => {
    expect(evalExpr(call("substring", col("s"), i32(2), i32(3)), a)).toEqual(["bcd", null, "y", ""]);
    expect(evalExpr(call("substring", col("s"), i32(5)), a)).toEqual(["ef", null, "", ""]);
    expect(evalExpr(call("substring", col("s"), i32(1), i32(0)), a)).toEqual(["", null, "", ""]);
    expect(evalExpr(call("substring", col("s"), i32(3), i32(100)), a)).toEqual(["cdef", null, "", ""]);
  });
  it("string equality against a constant checks length then bytes", async () => {
    const { bin } = await import("../kernels/helpers.js");
    expect(evalExpr(bin("=", col("s"), str("xy")), a)).toEqual([false, null, true, false]);
    expect(evalExpr(bin("!=", col("s"), str("")), a)).toEqual([true, null, true, false]);
  });
});
