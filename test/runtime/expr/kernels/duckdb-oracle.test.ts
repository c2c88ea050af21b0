/**
 * Differential checks of the expression kernels against DuckDB on generated data (fast-check).
 * Each property builds one batch, evaluates a list of expressions with our compiler and the same
 * expressions in DuckDB SQL, and compares row by row. Where the engines differ by design (Spark's
 * x / 0 = null vs DuckDB's Infinity for doubles, dayofweek numbering) the SQL side is adjusted.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Expr, LiteralValue } from "../../../../runtime/expr/ir.js";
import { type DataType, Types } from "../../../../runtime/expr/types.js";
import { formatDecimal } from "../../../../runtime/expr/kernels/number-format.js";
import { batchOf, bin, call, col, evalExpr, i32, str } from "./helpers.js";

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(() => conn?.closeSync());

function sqlLiteral(v: LiteralValue, t: DataType): string {
  if (v === null) return "NULL";
  switch (t.kind) {
    case "string": return `'${String(v).replace(/'/g, "''")}'`;
    case "date": return `(DATE '1970-01-01' + ${v}::INTEGER)`;
    case "float64": return `${v}::DOUBLE`;
    case "int64": return `${v}::BIGINT`;
    case "timestamp": return `make_timestamp(${v}::BIGINT)`;
    case "decimal": return `'${formatDecimal(v as bigint, t.scale)}'::DECIMAL(${t.precision},${t.scale})`;
    default: return `${v}::INTEGER`;
  }
}

const SQL_TYPE: Partial<Record<DataType["kind"], string>> = { int32: "INTEGER", int64: "BIGINT", float64: "DOUBLE", string: "VARCHAR", date: "DATE", timestamp: "TIMESTAMP", decimal: "DECIMAL(10,2)" };

/** Runs `select <sql> from t` over the same rows; returns one array per expression. */
async function duck(cols: Record<string, [DataType, LiteralValue[]]>, exprs: string[]): Promise<unknown[][]> {
  const names = Object.keys(cols);
  const n = cols[names[0]!]![1].length;
  const rows = Array.from({ length: n }, (_, i) => `(${i}, ${names.map((c) => sqlLiteral(cols[c]![1][i]!, cols[c]![0])).join(", ")})`);
  const colDefs = names.map((c) => `${c} ${SQL_TYPE[cols[c]![0].kind]}`).join(", ");
  await conn.run(`create or replace table t (rid INTEGER, ${colDefs})`);
  if (rows.length) await conn.run(`insert into t values ${rows.join(", ")}`);
  const reader = await conn.runAndReadAll(`select ${exprs.join(", ")} from t order by rid`);
  const out = exprs.map(() => [] as unknown[]);
  for (const r of reader.getRows()) r.forEach((v, k) => out[k]!.push(v));
  return out;
}

const norm = (v: unknown): unknown => (typeof v === "bigint" ? Number(v) : v);

async function check(cols: Record<string, [DataType, LiteralValue[]]>, cases: [Expr, string][], tolerance = 0): Promise<void> {
  const batch = batchOf(cols);
  const expected = await duck(cols, cases.map(([, sql]) => sql));
  cases.forEach(([e, sql], k) => {
    const ours = evalExpr(e, batch).map(norm);
    const theirs = expected[k]!.map(norm);
    if (tolerance > 0) {
      ours.forEach((v, i) => {
        const w = theirs[i];
        if (typeof v === "number" && typeof w === "number" && Number.isFinite(w)) {
          // Relative tolerance: libm differences in the last bits, at any magnitude.
          expect(Math.abs(v - w), `${sql} row ${i}: ${v} vs ${w}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(w)));
        }
        else expect(v, `${sql} row ${i}`).toEqual(w);
      });
    } else {
      expect(ours, sql).toEqual(theirs);
    }
  });
}

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
const RUNS = { numRuns: 15 };

describe("DuckDB as oracle", () => {
  it("int64 arithmetic and comparisons", async () => {
    const big = nullable(fc.bigInt({ min: -(2n ** 31n), max: 2n ** 31n }));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(big, big), { maxLength: 60 }), async (rows) => {
      const cols: Record<string, [DataType, LiteralValue[]]> = {
        a: [Types.int64, rows.map((r) => r[0])], b: [Types.int64, rows.map((r) => r[1])],
      };
      await check(cols, [
        [bin("+", col("a"), col("b")), "a + b"],
        [bin("-", col("a"), col("b")), "a - b"],
        [bin("*", col("a"), col("b")), "a * b"],
        [bin("%", col("a"), col("b")), "a % b"],
        [bin("<", col("a"), col("b")), "a < b"],
        [bin("=", col("a"), col("b")), "a = b"],
        [bin("<=>", col("a"), col("b")), "a is not distinct from b"],
        [call("greatest", col("a"), col("b")), "greatest(a, b)"],
        [call("coalesce", col("a"), col("b")), "coalesce(a, b)"],
      ]);
    }), RUNS);
  });

  it("float64 arithmetic and math functions", async () => {
    const num = nullable(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(num, num, nullable(fc.integer({ min: -1000, max: 1000 }))), { maxLength: 60 }), async (rows) => {
      const cols: Record<string, [DataType, LiteralValue[]]> = {
        x: [Types.float64, rows.map((r) => r[0])], y: [Types.float64, rows.map((r) => r[1])], n: [Types.int32, rows.map((r) => r[2])],
      };
      await check(cols, [
        [bin("+", col("x"), col("n")), "x + n"],
        [bin("*", col("x"), col("y")), "x * y"],
        [bin("/", col("x"), col("y")), "case when y = 0 then null else x / y end"],
        [bin("/", col("n"), i32(7)), "n / 7"],
        [bin(">=", col("x"), col("y")), "x >= y"],
        [call("abs", col("x")), "abs(x)"],
        [call("floor", col("x")), "floor(x)::BIGINT"],
        [call("ceil", col("x")), "ceil(x)::BIGINT"],
        [call("sqrt", call("abs", col("x"))), "sqrt(abs(x))"],
        [call("log", col("x")), "case when x <= 0 then null else ln(x) end"],
        [call("exp", bin("/", col("n"), i32(100))), "exp(n / 100)"],
        [call("pow", col("n"), i32(2)), "pow(n, 2)"],
      ], 1e-12);
    }), RUNS);
  });

  it("string functions on unicode text", async () => {
    const chars = fc.constantFrom("a", "B", "z", " ", "é", "Ü", "ñ", "ø", "😀", "-", "%", "_", "Ω");
    const text = nullable(fc.array(chars, { maxLength: 8 }).map((cs) => cs.join("")));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(text, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 })), { maxLength: 40 }), async (rows) => {
      const cols: Record<string, [DataType, LiteralValue[]]> = {
        s: [Types.string, rows.map((r) => r[0])], p: [Types.int32, rows.map((r) => r[1])], l: [Types.int32, rows.map((r) => r[2])],
      };
      await check(cols, [
        [call("lower", col("s")), "lower(s)"],
        [call("upper", col("s")), "upper(s)"],
        [call("length", col("s")), "length(s)"],
        [call("substring", col("s"), col("p"), col("l")), "substring(s, p, l)"],
        [call("trim", col("s")), "trim(s)"],
        [call("ltrim", col("s")), "ltrim(s)"],
        [call("concat", col("s"), str("|"), col("s")), "s || '|' || s"],
        [call("startswith", col("s"), str("a")), "starts_with(s, 'a')"],
        [call("contains", col("s"), str("é")), "contains(s, 'é')"],
        [call("like", col("s"), str("%a_")), "s like '%a_'"],
        [bin("<", col("s"), str("b")), "s < 'b'"],
        [call("regexp_replace", col("s"), str("[aé]+"), str("<$0>")), "regexp_replace(s, '[aé]+', '<\\0>', 'g')"],
      ]);
    }), RUNS);
  });

  it("decimal(10,2) arithmetic, rounding HALF_UP, and casts", async () => {
    const dec = nullable(fc.bigInt({ min: -100000n, max: 100000n }));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(dec, dec), { maxLength: 60 }), async (rows) => {
      const t = Types.decimal(10, 2);
      const cols: Record<string, [DataType, LiteralValue[]]> = { a: [t, rows.map((r) => r[0])], b: [t, rows.map((r) => r[1])] };
      await check(cols, [
        [bin("+", col("a"), col("b")), "((a + b) * 100)::BIGINT"],
        [bin("-", col("a"), col("b")), "((a - b) * 100)::BIGINT"],
        [bin("*", col("a"), col("b")), "(round(a * b, 2) * 100)::BIGINT"],
        [bin("%", col("a"), col("b")), "case when b = 0 then null else ((a % b) * 100)::BIGINT end"],
        [bin("<", col("a"), col("b")), "a < b"],
        [call("round", col("a"), i32(1)), "(round(a, 1) * 100)::BIGINT"],
        [call("abs", col("a")), "(abs(a) * 100)::BIGINT"],
        [call("floor", col("a")), "floor(a)::BIGINT"],
        [call("ceil", col("a")), "ceil(a)::BIGINT"],
        [{ kind: "Cast", expr: col("a"), to: Types.string }, "a::VARCHAR"],
        [{ kind: "Cast", expr: col("a"), to: Types.int64 }, "trunc(a)::BIGINT"],
      ]);
    }), RUNS);
  });

  it("timestamp functions (UTC micros)", async () => {
    const micros = nullable(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }));
    await fc.assert(fc.asyncProperty(fc.array(micros, { maxLength: 60 }), async (rows) => {
      const cols: Record<string, [DataType, LiteralValue[]]> = { t: [Types.timestamp, rows] };
      await check(cols, [
        [call("hour", col("t")), "hour(t)"],
        [call("minute", col("t")), "minute(t)"],
        [call("second", col("t")), "second(t)"],
        [call("year", col("t")), "year(t)"],
        [call("dayofweek", col("t")), "dayofweek(t) + 1"],
        [call("to_date", col("t")), "t::DATE - DATE '1970-01-01'"],
        [call("unix_timestamp", col("t")), "(epoch_us(t) - ((epoch_us(t) % 1000000) + 1000000) % 1000000) // 1000000"],
        [call("date_trunc", str("hour"), col("t")), "epoch_us(date_trunc('hour', t))"],
        [call("date_trunc", str("week"), col("t")), "epoch_us(date_trunc('week', t))"],
        [call("date_trunc", str("quarter"), col("t")), "epoch_us(date_trunc('quarter', t))"],
        [call("date_format", col("t"), str("yyyy-MM-dd HH:mm:ss")), "strftime(t, '%Y-%m-%d %H:%M:%S')"],
      ]);
    }), RUNS);
  });

  it("casts from text", async () => {
    const numText = fc.oneof(
      fc.integer({ min: -1e9, max: 1e9 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map(String),
      fc.constantFrom("", "abc", " 12 ", "1e3", "+5", "-0", "0x10", "1.", ".5"),
    );
    await fc.assert(fc.asyncProperty(fc.array(nullable(numText), { maxLength: 60 }), async (rows) => {
      const cols: Record<string, [DataType, LiteralValue[]]> = { s: [Types.string, rows] };
      await check(cols, [
        [{ kind: "Cast", expr: col("s"), to: Types.float64 }, "try_cast(trim(s) as DOUBLE)"],
        [{ kind: "Cast", expr: col("s"), to: Types.int64 }, "case when try_cast(trim(s) as DOUBLE) is null or trim(s) ilike '%e%' or trim(s) ilike '%x%' then null else try_cast(trunc(try_cast(trim(s) as DECIMAL(38,10))) as BIGINT) end"],
      ]);
    }), RUNS);
  });

  it("date functions", async () => {
    const day = nullable(fc.integer({ min: -200_000, max: 200_000 }));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(day, day, fc.integer({ min: -400, max: 400 })), { maxLength: 60 }), async (rows) => {
      const cols: Record<string, [DataType, LiteralValue[]]> = {
        d: [Types.date, rows.map((r) => r[0])], e: [Types.date, rows.map((r) => r[1])], k: [Types.int32, rows.map((r) => r[2])],
      };
      await check(cols, [
        [call("year", col("d")), "year(d)"],
        [call("month", col("d")), "month(d)"],
        [call("dayofmonth", col("d")), "day(d)"],
        [call("dayofweek", col("d")), "dayofweek(d) + 1"],
        [call("dayofyear", col("d")), "dayofyear(d)"],
        [call("quarter", col("d")), "quarter(d)"],
        [call("datediff", col("e"), col("d")), "datediff('day', d, e)"],
        [call("date_add", col("d"), col("k")), "(d + k) - DATE '1970-01-01'"],
        [{ kind: "Cast", expr: col("d"), to: Types.string }, "strftime(d, '%Y-%m-%d')"],
        [call("date_trunc", str("month"), col("d")), "epoch_us(date_trunc('month', d)::TIMESTAMP)"],
      ]);
    }), RUNS);
  });
});
