import { describe, expect, it } from "vitest";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, call, col, evalExpr, i32, lit, str } from "../kernels/helpers.js";

// 2024-05-17 (a Friday) 10:30:15.5 UTC
const TS = 1715941815500000n;
const DAY = 19860; // 2024-05-17
const b = batchOf({
  ts: [Types.timestamp, [TS, 0n, -1n, null]],
  d: [Types.date, [DAY, 0, -1, null]],
  s: [Types.string, ["2024-05-17", "31/01/2024", "2024-02-30", null]],
});

describe("field extraction", () => {
  it("year, quarter, month, dayofmonth, dayofyear from dates (and timestamps)", () => {
    expect(evalExpr(call("year", col("d")), b)).toEqual([2024, 1970, 1969, null]);
    expect(evalExpr(call("quarter", col("d")), b)).toEqual([2, 1, 4, null]);
    expect(evalExpr(call("month", col("ts")), b)).toEqual([5, 1, 12, null]);
    expect(evalExpr(call("dayofmonth", col("d")), b)).toEqual([17, 1, 31, null]);
    expect(evalExpr(call("dayofyear", col("d")), b)).toEqual([138, 1, 365, null]);
  });
  it("dayofweek: 1 = Sunday ... 7 = Saturday", () => {
    // 2024-05-17 Friday, 1970-01-01 Thursday, 1969-12-31 Wednesday
    expect(evalExpr(call("dayofweek", col("d")), b)).toEqual([6, 5, 4, null]);
  });
  it("hour, minute, second in UTC, also before 1970", () => {
    expect(evalExpr(call("hour", col("ts")), b)).toEqual([10, 0, 23, null]);
    expect(evalExpr(call("minute", col("ts")), b)).toEqual([30, 0, 59, null]);
    expect(evalExpr(call("second", col("ts")), b)).toEqual([15, 0, 59, null]);
  });
  it("strings are read as dates", () => {
    expect(evalExpr(call("year", col("s")), b)).toEqual([2024, null, null, null]);
  });
});

describe("to_date / to_timestamp", () => {
  it("without a format read ISO text; impossible dates give null", () => {
    expect(evalExpr(call("to_date", col("s")), b)).toEqual([DAY, null, null, null]);
    expect(evalExpr(call("to_date", col("ts")), b)).toEqual([DAY, 0, -1, null]);
    expect(evalExpr(call("to_timestamp", str("2024-05-17 10:30:15.5")), b)).toEqual([TS, TS, TS, TS]);
  });
  it("with a Spark pattern", () => {
    expect(evalExpr(call("to_date", col("s"), str("dd/MM/yyyy")), b)).toEqual([null, 19753, null, null]);
    const t = batchOf({ s: [Types.string, ["17 May 2024 10:30 PM", "1 Jan 2000 12:00 AM", "bad"]] });
    expect(evalExpr(call("to_timestamp", col("s"), str("d MMM yyyy hh:mm a")), t)).toEqual([
      1715985000000000n, 946684800000000n, null,
    ]);
  });
  it("an unsupported pattern letter is a user error naming it", () => {
    expect(() => evalExpr(call("to_date", col("s"), str("yyyy-QQ")), b)).toThrow(/unsupported letter 'Q'/);
  });
});

describe("date arithmetic", () => {
  it("datediff, date_add, date_sub", () => {
    const d = batchOf({ a: [Types.date, [DAY, 0, null]], c: [Types.date, [DAY - 30, 10, 1]] });
    expect(evalExpr(call("datediff", col("a"), col("c")), d)).toEqual([30, -10, null]);
    expect(evalExpr(call("date_add", col("a"), i32(15)), d)).toEqual([DAY + 15, 15, null]);
    expect(evalExpr(call("date_sub", col("a"), i32(1)), d)).toEqual([DAY - 1, -1, null]);
    expect(evalExpr(call("datediff", str("2024-03-01"), str("2024-02-01")), d)).toEqual([29, 29, 29]);
  });
  it("date_trunc to each unit; weeks start on Monday", () => {
    const one = batchOf({ ts: [Types.timestamp, [TS]] });
    const trunc = (unit: string) => evalExpr(call("date_trunc", str(unit), col("ts")), one)[0];
    const at = (iso: string) => BigInt(Date.parse(iso)) * 1000n;
    expect(trunc("year")).toBe(at("2024-01-01T00:00:00Z"));
    expect(trunc("quarter")).toBe(at("2024-04-01T00:00:00Z"));
    expect(trunc("month")).toBe(at("2024-05-01T00:00:00Z"));
    expect(trunc("week")).toBe(at("2024-05-13T00:00:00Z"));
    expect(trunc("day")).toBe(at("2024-05-17T00:00:00Z"));
    expect(trunc("HOUR")).toBe(at("2024-05-17T10:00:00Z"));
    expect(trunc("minute")).toBe(at("2024-05-17T10:30:00Z"));
    expect(trunc("second")).toBe(at("2024-05-17T10:30:15Z"));
    expect(() => trunc("fortnight")).toThrow(/unknown unit "fortnight"; use one of year/);
  });
});

describe("unix time", () => {
  it("unix_timestamp floors to seconds; from_unixtime formats", () => {
    expect(evalExpr(call("unix_timestamp", col("ts")), b)).toEqual([1715941815n, 0n, -1n, null]);
    expect(evalExpr(call("unix_timestamp", str("2024-01-01 00:00:00")), b)[0]).toBe(1704067200n);
    expect(evalExpr(call("unix_timestamp", str("01/02/2024"), str("dd/MM/yyyy")), b)[0]).toBe(1706745600n);
    const s = batchOf({ e: [Types.int64, [0n, 1715941815n, null]] });
    expect(evalExpr(call("from_unixtime", col("e")), s)).toEqual(["1970-01-01 00:00:00", "2024-05-17 10:30:15", null]);
    expect(evalExpr(call("from_unixtime", col("e"), str("yyyy/MM/dd EEE")), s)).toEqual(["1970/01/01 Thu", "2024/05/17 Fri", null]);
  });
  it("date_format with fractions and quoted text", () => {
    expect(evalExpr(call("date_format", col("ts"), str("yyyy-MM-dd'T'HH:mm:ss.SSS")), b)).toEqual([
      "2024-05-17T10:30:15.500", "1970-01-01T00:00:00.000", "1969-12-31T23:59:59.999", null,
    ]);
  });
  it("current_date is today in UTC", () => {
    const today = Math.floor(Date.now() / 86_400_000);
    const got = evalExpr(call("current_date"), b)[0] as number;
    expect(Math.abs(got - today)).toBeLessThanOrEqual(1);
  });
  it("a null literal argument gives null", () => {
    expect(evalExpr(call("year", lit(null, Types.null)), b)).toEqual([null, null, null, null]);
  });
});

describe("timestamps beyond 2^53 microseconds (after year 2255) stay exact", () => {
  it("fields, truncation and formatting split the int64 exactly", () => {
    // 9999999999999999 us = 2286-11-20 17:46:39.999999 UTC; as a double it would round up to ...:40
    const far = batchOf({ t: [Types.timestamp, [9999999999999999n, -9999999999999999n]] });
    expect(evalExpr(call("second", col("t")), far)).toEqual([39, 20]);
    expect(evalExpr({ kind: "Cast", expr: col("t"), to: Types.string }, far)).toEqual(["2286-11-20 17:46:39.999999", "1653-02-10 06:13:20.000001"]);
    expect(evalExpr(call("date_trunc", str("second"), col("t")), far)).toEqual([9999999999000000n, -10000000000000000n]);
    expect(evalExpr(call("date_format", col("t"), str("yyyy-MM-dd HH:mm:ss.SSS")), far)).toEqual(["2286-11-20 17:46:39.999", "1653-02-10 06:13:20.000"]);
  });
});
