import { describe, expect, it } from "vitest";
import { compileExpr, compilePredicate } from "../../../../runtime/expr/kernels/compile.js";
import { isUserError, UserError } from "../../../../runtime/expr/kernels/errors.js";
import type { Batch } from "../../../../runtime/batch/column.js";
import { buildColumn } from "../../../../runtime/expr/kernels/columns.js";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, bin, col, dictColumn, evalExpr, i32, lit, str } from "./helpers.js";

describe("column references", () => {
  const joined: Batch = {
    schema: {
      fields: [
        { name: "id", type: Types.int32, nullable: false, qualifier: "orders" },
        { name: "id", type: Types.int32, nullable: false, qualifier: "users" },
        { name: "Amount", type: Types.float64, nullable: true },
      ],
    },
    length: 2,
    columns: [buildColumn(Types.int32, [1, 2]), buildColumn(Types.int32, [10, 20]), buildColumn(Types.float64, [0.5, null])],
  };

  it("resolves by qualifier after a join", () => {
    expect(evalExpr(col("id", "users"), joined)).toEqual([10, 20]);
    expect(evalExpr(col("id", "orders"), joined)).toEqual([1, 2]);
  });

  it("an unqualified ambiguous name says how to qualify it", () => {
    expect(() => compileExpr(col("id"), joined.schema)).toThrow(/"id" is ambiguous; qualify it as "orders.id" or "users.id"/);
  });

  it("falls back to a case-insensitive match and lists columns when missing", () => {
    expect(evalExpr(col("amount"), joined)).toEqual([0.5, null]);
    expect(() => compileExpr(col("amt"), joined.schema)).toThrow(/Column "amt" not found; available columns: orders.id, users.id, Amount/);
  });
});

describe("compileExpr", () => {
  const b = batchOf({ a: [Types.int32, [1, 2, 3]], s: [Types.string, ["x", "y", null]] });

  it("broadcasts literals and aliases to the batch length", () => {
    expect(evalExpr(i32(5), b)).toEqual([5, 5, 5]);
    expect(evalExpr({ kind: "Alias", name: "k", expr: str("hi") }, b)).toEqual(["hi", "hi", "hi"]);
    expect(evalExpr(bin("+", i32(1), i32(2)), b)).toEqual([3, 3, 3]);
  });

  it("reports the result type", () => {
    expect(compileExpr(bin("/", col("a"), i32(2)), b.schema).type).toEqual(Types.float64);
    expect(compileExpr({ kind: "Call", fn: "length", args: [col("s")] }, b.schema).type).toEqual(Types.int32);
  });

  it("refuses aggregates, window functions and unknown functions with a hint", () => {
    expect(() => compileExpr({ kind: "Agg", fn: "sum", args: [col("a")], distinct: false }, b.schema)).toThrow(/groupBy\(\)\.agg/);
    expect(() => compileExpr({ kind: "Ranking", fn: "rank", args: [] }, b.schema)).toThrow(/over\(Window/);
    expect(() => compileExpr({ kind: "Call", fn: "lowr", args: [col("s")] }, b.schema)).toThrow(/Unknown function "lowr"; did you mean "lower"/);
  });

  it("returns the same compiled closure for the same expression and schema (cache)", () => {
    const e = bin("*", col("a"), i32(3));
    const first = compileExpr(e, b.schema);
    const second = compileExpr(JSON.parse(JSON.stringify(e)), b.schema);
    expect(second.evaluate(b)).toEqual(first.evaluate(b));
  });
});

describe("compilePredicate", () => {
  it("selects rows where the condition is true; null counts as false", () => {
    const b = batchOf({ a: [Types.int32, [5, null, 1, 9, 7]] });
    const sel = compilePredicate(bin(">", col("a"), i32(4)), b.schema)(b);
    expect(Array.from(sel)).toEqual([0, 3, 4]);
    expect(sel).toBeInstanceOf(Uint32Array);
  });
  it("isNotNull keeps every row of a column without nulls and drops the nulls of one with them", () => {
    const notNull = { kind: "Unary" as const, op: "isNotNull" as const, expr: col("a") };
    const plain = batchOf({ a: [Types.int32, [4, 5, 6]] });
    const withNulls = batchOf({ a: [Types.int32, [null, 5, null, 7]] });
    const allNull = batchOf({ a: [Types.null, [null, null]] });
    expect(Array.from(compilePredicate(notNull, plain.schema)(plain))).toEqual([0, 1, 2]);
    expect(Array.from(compilePredicate(notNull, withNulls.schema)(withNulls))).toEqual([1, 3]);
    expect(Array.from(compilePredicate(notNull, allNull.schema)(allNull))).toEqual([]);
    // Batches of different lengths after each other: each selection has its batch's length.
    const big = batchOf({ a: [Types.int32, Array.from({ length: 40 }, (_, i) => i)] });
    const keep = compilePredicate(notNull, big.schema);
    expect(Array.from(keep(big))).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(Array.from(keep(plain))).toEqual([0, 1, 2]);
  });
  it("rejects non-boolean conditions", () => {
    const b = batchOf({ a: [Types.int32, [1]] });
    expect(() => compilePredicate(col("a"), b.schema)).toThrow(/filter condition must be boolean, got int32/);
  });
});

describe("CASE WHEN", () => {
  const b = batchOf({ a: [Types.int32, [1, 5, null, 10]] });
  it("takes the first true branch; null conditions fall through", () => {
    const e = {
      kind: "Case" as const,
      branches: [
        { when: bin(">", col("a"), i32(8)), then: str("high") },
        { when: bin(">", col("a"), i32(3)), then: str("mid") },
      ],
      otherwise: str("low"),
    };
    expect(evalExpr(e, b)).toEqual(["low", "mid", "low", "high"]);
  });
  it("without otherwise gives null; branch types are unified", () => {
    const e = { kind: "Case" as const, branches: [{ when: bin("=", col("a"), i32(5)), then: lit(1.5, Types.float64) }, { when: bin("=", col("a"), i32(1)), then: i32(2) }] };
    expect(evalExpr(e, b)).toEqual([2, 1.5, null, null]);
  });
});

describe("IN", () => {
  const b = batchOf({ a: [Types.int32, [1, 2, null, 4]] });
  it("with constants, including SQL's null rule", () => {
    expect(evalExpr({ kind: "In", expr: col("a"), list: [i32(1), i32(4)], negated: false }, b)).toEqual([true, false, null, true]);
    expect(evalExpr({ kind: "In", expr: col("a"), list: [i32(1), i32(4)], negated: true }, b)).toEqual([false, true, null, false]);
    expect(evalExpr({ kind: "In", expr: col("a"), list: [i32(1), lit(null, Types.int32)], negated: false }, b)).toEqual([true, null, null, null]);
  });
  it("with a column in the list", () => {
    const c = batchOf({ a: [Types.int32, [1, 2, 3]], b: [Types.int32, [3, 2, 1]] });
    expect(evalExpr({ kind: "In", expr: col("a"), list: [col("b"), i32(1)], negated: false }, c)).toEqual([true, true, false]);
  });
  it("on dictionary strings and with widened types", () => {
    const d: Batch = { schema: { fields: [{ name: "c", type: Types.string, nullable: true }] }, length: 4, columns: [dictColumn(["fr", "de", null, "it"])] };
    expect(evalExpr({ kind: "In", expr: col("c"), list: [str("fr"), str("it")], negated: false }, d)).toEqual([true, false, null, true]);
    expect(evalExpr({ kind: "In", expr: col("a"), list: [lit(2n, Types.int64)], negated: false }, b)).toEqual([false, true, null, false]);
  });
});

describe("UDFs", () => {
  const b = batchOf({ a: [Types.int32, [1, 2, 3]], s: [Types.string, ["a", "bb", null]], d: [Types.date, [0, 19782, null]] });
  it("are called per row with JS values and converted to the declared type", () => {
    expect(evalExpr({ kind: "Udf", name: "sq", source: "(x) => x * x", returnType: Types.int64, args: [col("a")] }, b)).toEqual([1n, 4n, 9n]);
    expect(evalExpr({ kind: "Udf", name: "len", source: "function (s) { return s === null ? -1 : s.length; }", returnType: Types.int32, args: [col("s")] }, b)).toEqual([1, 2, -1]);
    expect(evalExpr({ kind: "Udf", name: "yr", source: "(d) => d && d.getUTCFullYear()", returnType: Types.int32, args: [col("d")] }, b)).toEqual([1970, 2024, null]);
  });
  it("a throwing UDF raises a UserError naming the UDF and a sample row", () => {
    const e = { kind: "Udf" as const, name: "picky", source: "(x, s) => { if (x === 2) throw new Error('no twos'); return x; }", returnType: Types.int32, args: [col("a"), col("s")] };
    let caught: unknown;
    try { evalExpr(e, b); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(UserError);
    expect(isUserError(caught)).toBe(true);
    expect((caught as UserError).message).toMatch(/UDF "picky" threw: no twos/);
    expect((caught as UserError).sampleRow).toBe(`{a: 2, s: "bb"}`);
  });
  it("a wrong return type is a UserError that names both types", () => {
    const e = { kind: "Udf" as const, name: "bad", source: "() => 'text'", returnType: Types.int32, args: [] };
    expect(() => evalExpr(e, b)).toThrow(/UDF "bad": UDF returned "text" \(string\) but was declared to return int32/);
  });
});

describe("dictionary columns whose null rows carry code -1", () => {
  it("functions, comparisons and casts only look up valid rows", async () => {
    const { buildColumn: build } = await import("../../../../runtime/expr/kernels/columns.js");
    const dictionary = build(Types.string, ["10", "x"]);
    const column = { type: Types.string, length: 3, encoding: "dict", codes: Int32Array.of(0, -1, 1), dictionary, validity: Uint8Array.of(0b101) };
    const batch: Batch = { schema: { fields: [{ name: "c", type: Types.string, nullable: true }] }, length: 3, columns: [column as never] };
    expect(evalExpr({ kind: "Cast", expr: col("c"), to: Types.int64 }, batch)).toEqual([10n, null, null]);
    expect(evalExpr({ kind: "Call", fn: "length", args: [col("c")] }, batch)).toEqual([2, null, 1]);
    expect(evalExpr({ kind: "Call", fn: "upper", args: [col("c")] }, batch)).toEqual(["10", null, "X"]);
    expect(evalExpr(bin("=", col("c"), str("x")), batch)).toEqual([false, null, true]);
  });
});
