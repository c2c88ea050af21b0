import { describe, expect, it } from "vitest";
import { compileExpr } from "../../../../runtime/expr/kernels/compile.js";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, call, col, evalExpr, i32, lit, str } from "../kernels/helpers.js";

describe("padding and other string helpers", () => {
  const b = batchOf({ s: [Types.string, ["42", "abcdef", null, "é"]] });
  it("lpad / rpad pad to the length or cut to it", () => {
    expect(evalExpr(call("lpad", col("s"), i32(4), str("0")), b)).toEqual(["0042", "abcd", null, "000é"]);
    expect(evalExpr(call("rpad", col("s"), i32(4), str("xy")), b)).toEqual(["42xy", "abcd", null, "éxyx"]);
    expect(evalExpr(call("lpad", col("s"), i32(3)), b)).toEqual([" 42", "abc", null, "  é"]);
    expect(evalExpr(call("lpad", col("s"), i32(0), str("0")), b)).toEqual(["", "", null, ""]);
  });
  it("initcap, instr, reverse, repeat", () => {
    expect(evalExpr(call("initcap", str("hELLO wORLD")), b)[0]).toBe("Hello World");
    expect(evalExpr(call("instr", col("s"), str("c")), b)).toEqual([0, 3, null, 0]);
    expect(evalExpr(call("instr", str("éa@b"), str("@")), b)[0]).toBe(3);
    expect(evalExpr(call("reverse", col("s")), b)).toEqual(["24", "fedcba", null, "é"]);
    expect(evalExpr(call("repeat", col("s"), i32(2)), b)).toEqual(["4242", "abcdefabcdef", null, "éé"]);
  });
});

describe("list functions", () => {
  const b = batchOf({ s: [Types.string, ["a,b,c", "x", null, "a,,b"]] });
  const parts = call("split", col("s"), str(","));
  it("size and element_at (1-based, negative from the end, out of range null)", () => {
    expect(evalExpr(call("size", parts), b)).toEqual([3, 1, null, 3]);
    expect(evalExpr(call("element_at", parts, i32(1)), b)).toEqual(["a", "x", null, "a"]);
    expect(evalExpr(call("element_at", parts, i32(-1)), b)).toEqual(["c", "x", null, "b"]);
    expect(evalExpr(call("element_at", parts, i32(5)), b)).toEqual([null, null, null, null]);
    expect(compileExpr(call("element_at", parts, i32(1)), b.schema).type).toEqual(Types.string);
  });
  it("array_contains with SQL's null rule", () => {
    expect(evalExpr(call("array_contains", parts, str("b")), b)).toEqual([true, false, null, true]);
    const l = batchOf({ l: [Types.list(Types.int32), [[1, null], [1, 2], []]] });
    expect(evalExpr(call("array_contains", col("l"), i32(2)), l)).toEqual([null, true, false]);
    expect(evalExpr(call("array_contains", col("l"), lit(2n, Types.int64)), l)).toEqual([null, true, false]);
  });
  it("non-list arguments are rejected with the expected type", () => {
    expect(() => compileExpr(call("size", col("s")), b.schema)).toThrow(/size: argument 1 must be a list/);
  });
});

describe("calendar functions", () => {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const b = batchOf({ d: [Types.date, [day("2024-01-31"), day("2023-03-31"), null, day("2021-01-03"), day("2024-12-30")]] });
  it("add_months clamps to the end of the month", () => {
    expect(evalExpr(call("add_months", col("d"), i32(1)), b)).toEqual([day("2024-02-29"), day("2023-04-30"), null, day("2021-02-03"), day("2025-01-30")]);
    expect(evalExpr(call("add_months", col("d"), i32(-13)), b)).toEqual([day("2022-12-31"), day("2022-02-28"), null, day("2019-12-03"), day("2023-11-30")]);
  });
  it("last_day", () => {
    expect(evalExpr(call("last_day", col("d")), b)).toEqual([day("2024-01-31"), day("2023-03-31"), null, day("2021-01-31"), day("2024-12-31")]);
  });
  it("weekofyear is the ISO week", () => {
    expect(evalExpr(call("weekofyear", col("d")), b)).toEqual([5, 13, null, 53, 1]);
  });
});
