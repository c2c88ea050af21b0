import { describe, expect, it } from "vitest";
import type { Expr } from "../../../../runtime/expr/ir.js";
import { type DataType, Types } from "../../../../runtime/expr/types.js";
import { batchOf, col, evalExpr } from "./helpers.js";

const cast = (e: Expr, to: DataType): Expr => ({ kind: "Cast", expr: e, to });

describe("cast from string (bad text gives null, as Spark's non-ANSI cast)", () => {
  const b = batchOf({ s: [Types.string, ["42", " -7 ", "1.9", "abc", "", null, "1e3", "99999999999"]] });
  it("to int32 truncates fractions and rejects overflow", () => {
    expect(evalExpr(cast(col("s"), Types.int32), b)).toEqual([42, -7, 1, null, null, null, null, null]);
  });
  it("to int64", () => {
    expect(evalExpr(cast(col("s"), Types.int64), b)).toEqual([42n, -7n, 1n, null, null, null, null, 99999999999n]);
  });
  it("to float64", () => {
    expect(evalExpr(cast(col("s"), Types.float64), b)).toEqual([42, -7, 1.9, null, null, null, 1000, 99999999999]);
  });
  it("to decimal rounds HALF_UP and rejects too many digits", () => {
    const d = batchOf({ s: [Types.string, ["1.005", "-2.345", "123456", "x"]] });
    expect(evalExpr(cast(col("s"), Types.decimal(5, 2)), d)).toEqual([101n, -235n, null, null]);
  });
  it("to bool accepts Spark's words", () => {
    const d = batchOf({ s: [Types.string, ["true", "F", "yes", "0", "maybe"]] });
    expect(evalExpr(cast(col("s"), Types.bool), d)).toEqual([true, false, true, false, null]);
  });
  it("to date and timestamp (UTC); impossible dates give null", () => {
    const d = batchOf({ s: [Types.string, ["2024-02-29", "2023-02-29", "2024-01-01 10:30:00", "2024-01-01T10:30:00.123456Z", "2024-01-01 12:00:00+02:00", "nope"]] });
    expect(evalExpr(cast(col("s"), Types.date), d)).toEqual([19782, null, 19723, 19723, 19723, null]);
    expect(evalExpr(cast(col("s"), Types.timestamp), d)).toEqual([
      1709164800000000n, null, 1704105000000000n, 1704105000123456n, 1704103200000000n, null,
    ]);
  });
  it("dictionary strings cast per entry", async () => {
    const { dictColumn } = await import("./helpers.js");
    const batch = { schema: { fields: [{ name: "c", type: Types.string, nullable: true }] }, length: 3, columns: [dictColumn(["1", null, "x"])] };
    expect(evalExpr(cast(col("c"), Types.int32), batch)).toEqual([1, null, null]);
  });
});

describe("cast to string", () => {
  it("formats numbers like Spark (doubles always show a fraction)", () => {
    const b = batchOf({ f: [Types.float64, [1, 0.1, -2.5, 1e7, 1.5e-5, NaN, null]] });
    expect(evalExpr(cast(col("f"), Types.string), b)).toEqual(["1.0", "0.1", "-2.5", "1.0E7", "1.5E-5", "NaN", null]);
  });
  it("formats decimals, dates, timestamps and booleans", () => {
    const b = batchOf({
      d: [Types.decimal(6, 2), [12345n, -5n]],
      day: [Types.date, [19782, -1]],
      ts: [Types.timestamp, [1704105000123000n, 0n]],
      ok: [Types.bool, [true, false]],
    });
    expect(evalExpr(cast(col("d"), Types.string), b)).toEqual(["123.45", "-0.05"]);
    expect(evalExpr(cast(col("day"), Types.string), b)).toEqual(["2024-02-29", "1969-12-31"]);
    expect(evalExpr(cast(col("ts"), Types.string), b)).toEqual(["2024-01-01 10:30:00.123", "1970-01-01 00:00:00"]);
    expect(evalExpr(cast(col("ok"), Types.string), b)).toEqual(["true", "false"]);
  });
});

describe("numeric casts", () => {
  it("float to int truncates toward zero, NaN gives 0, out of range saturates", () => {
    const b = batchOf({ f: [Types.float64, [2.9, -2.9, NaN, 1e20, null]] });
    expect(evalExpr(cast(col("f"), Types.int32), b)).toEqual([2, -2, 0, 2147483647, null]);
    expect(evalExpr(cast(col("f"), Types.int64), b)).toEqual([2n, -2n, 0n, 9223372036854775807n, null]);
  });
  it("int64 to int32 wraps; int64 to float64 rounds", () => {
    const b = batchOf({ v: [Types.int64, [4294967297n, 9007199254740993n]] });
    expect(evalExpr(cast(col("v"), Types.int32), b)).toEqual([1, 1]);
    expect(evalExpr(cast(col("v"), Types.float64), b)).toEqual([4294967297, 9007199254740992]);
  });
  it("decimal rescaling rounds HALF_UP and overflow gives null", () => {
    const b = batchOf({ d: [Types.decimal(6, 3), [1235n, -1235n, 999999n]] });
    expect(evalExpr(cast(col("d"), Types.decimal(4, 2)), b)).toEqual([124n, -124n, null]);
    expect(evalExpr(cast(col("d"), Types.int32), b)).toEqual([1, -1, 999]);
    expect(evalExpr(cast(col("d"), Types.float64), b)).toEqual([1.235, -1.235, 999.999]);
  });
  it("bool <-> numbers", () => {
    const b = batchOf({ ok: [Types.bool, [true, false]], n: [Types.int32, [0, 5]] });
    expect(evalExpr(cast(col("ok"), Types.int32), b)).toEqual([1, 0]);
    expect(evalExpr(cast(col("n"), Types.bool), b)).toEqual([false, true]);
  });
});

describe("date and timestamp casts", () => {
  it("date <-> timestamp at UTC midnight, floor for times before 1970", () => {
    const b = batchOf({ d: [Types.date, [1, -1]], ts: [Types.timestamp, [86_400_000_001n, -1n]] });
    expect(evalExpr(cast(col("d"), Types.timestamp), b)).toEqual([86_400_000_000n, -86_400_000_000n]);
    expect(evalExpr(cast(col("ts"), Types.date), b)).toEqual([1, -1]);
  });
  it("timestamp <-> seconds", () => {
    const b = batchOf({ ts: [Types.timestamp, [1_500_000n, -1n]], s: [Types.int64, [60n, -1n]] });
    expect(evalExpr(cast(col("ts"), Types.int64), b)).toEqual([1n, -1n]);
    expect(evalExpr(cast(col("ts"), Types.float64), b)).toEqual([1.5, -0.000001]);
    expect(evalExpr(cast(col("s"), Types.timestamp), b)).toEqual([60_000_000n, -1_000_000n]);
  });
});

describe("lists and cast support", () => {
  it("lists print like Spark and cast element-wise", () => {
    const b = batchOf({ l: [Types.list(Types.int32), [[1, null, 3], [], null]] });
    expect(evalExpr(cast(col("l"), Types.string), b)).toEqual(["[1, null, 3]", "[]", null]);
    expect(evalExpr(cast(col("l"), Types.list(Types.float64)), b)).toEqual([[1, null, 3], [], null]);
  });
  it("canCast answers the analyzer before planning", async () => {
    const { canCast } = await import("../../../../runtime/expr/kernels/cast.js");
    expect(canCast(Types.string, Types.date)).toBe(true);
    expect(canCast(Types.list(Types.int32), Types.int32)).toBe(false);
    expect(canCast(Types.int32, Types.list(Types.int32))).toBe(false);
    expect(() => evalExpr(cast(col("l"), Types.int32), batchOf({ l: [Types.list(Types.int32), [[1]]] }))).toThrow(/cannot cast list<int32> to int32/);
  });
});
