import { describe, expect, it } from "vitest";
import { col, lit, when } from "../../../runtime/expr/column.js";
import { exprToString } from "../../../runtime/expr/print.js";
import { parseType } from "../../../runtime/expr/type-spec.js";
import { Types } from "../../../runtime/expr/types.js";

const a = col("a");
const text = (c: { expr: Parameters<typeof exprToString>[0] }) => exprToString(c.expr);

describe("Column builder", () => {
  it("builds every binary operator with JS values as literals", () => {
    expect(text(a.add(1).sub(2).mul(3).div(4).mod(5))).toBe("(((((a + 1) - 2) * 3) / 4) % 5)");
    expect(text(a.eq(1).and(a.neq(2)).or(a.lt(3).and(a.le(4)).and(a.gt(5)).and(a.ge(6))))).toBe(
      "(((a = 1) AND (a != 2)) OR ((((a < 3) AND (a <= 4)) AND (a > 5)) AND (a >= 6)))",
    );
    expect(text(a.eqNullSafe(null))).toBe("(a <=> NULL)");
    expect(text(a.eq(col("b")))).toBe("(a = b)");
    expect(text(a.eq("x"))).toBe("(a = 'x')");
  });

  it("builds unary operators", () => {
    expect(text(a.not())).toBe("(NOT a)");
    expect(text(a.isNull())).toBe("(a IS NULL)");
    expect(text(a.isNotNull())).toBe("(a IS NOT NULL)");
    expect(text(a.isNaN())).toBe("isnan(a)");
    expect(text(a.negate())).toBe("(- a)");
  });

  it("aliases, casts and re-aliases", () => {
    expect(a.alias("x").expr).toEqual({ kind: "Alias", expr: { kind: "Column", name: "a" }, name: "x" });
    expect(a.as("x").alias("y").expr).toEqual({ kind: "Alias", expr: { kind: "Column", name: "a" }, name: "y" });
    expect(a.cast("long").expr).toEqual({ kind: "Cast", expr: { kind: "Column", name: "a" }, to: Types.int64 });
    expect(a.cast("decimal(10,2)").expr).toMatchObject({ to: { kind: "decimal", precision: 10, scale: 2 } });
  });

  it("expands between, isin and string predicates", () => {
    expect(text(a.between(1, 5))).toBe("((a >= 1) AND (a <= 5))");
    expect(text(a.isin(1, 2, 3))).toBe("(a IN (1, 2, 3))");
    expect(text(a.isin([1, 2]))).toBe("(a IN (1, 2))");
    expect(text(a.like("x%"))).toBe("like(a, 'x%')");
    expect(text(a.rlike("^x"))).toBe("rlike(a, '^x')");
    expect(text(a.startsWith("x"))).toBe("startswith(a, 'x')");
    expect(text(a.endsWith("x"))).toBe("endswith(a, 'x')");
    expect(text(a.contains("x"))).toBe("contains(a, 'x')");
    expect(text(a.substr(1, 3))).toBe("substring(a, 1, 3)");
    expect(text(a.fillNull(0))).toBe("coalesce(a, 0)");
  });

  it("records sort direction with Spark's null defaults", () => {
    expect(a.asc().sort).toEqual({ ascending: true, nullsFirst: true });
    expect(a.desc().sort).toEqual({ ascending: false, nullsFirst: false });
    expect(a.ascNullsLast().sort).toEqual({ ascending: true, nullsFirst: false });
    expect(a.descNullsFirst().sort).toEqual({ ascending: false, nullsFirst: true });
    expect(a.sort).toBeUndefined();
  });

  it("builds CASE with when().when().otherwise()", () => {
    const c = when(a.gt(1), "big").when(a.gt(0), "small").otherwise("none");
    expect(text(c)).toBe("CASE WHEN (a > 1) THEN 'big' WHEN (a > 0) THEN 'small' ELSE 'none' END");
    expect(() => (c as ReturnType<typeof when>).when(a.eq(0), "zero")).toThrow();
  });

  it("parses star and qualified names", () => {
    expect(col("*").expr).toEqual({ kind: "Star" });
    expect(col("o.*").expr).toEqual({ kind: "Star", qualifier: "o" });
    expect(col("o.id").expr).toEqual({ kind: "Column", name: "o.id" });
  });
});

describe("lit", () => {
  it("infers int32, int64, float64, string, bool, timestamp and null", () => {
    expect(lit(5).expr).toEqual({ kind: "Literal", value: 5, type: Types.int32 });
    expect(lit(2 ** 40).expr).toEqual({ kind: "Literal", value: 2n ** 40n, type: Types.int64 });
    expect(lit(5n).expr).toEqual({ kind: "Literal", value: 5n, type: Types.int64 });
    expect(lit(1.5).expr).toEqual({ kind: "Literal", value: 1.5, type: Types.float64 });
    expect(lit("x").expr).toEqual({ kind: "Literal", value: "x", type: Types.string });
    expect(lit(true).expr).toEqual({ kind: "Literal", value: true, type: Types.bool });
    expect(lit(new Date(1000)).expr).toEqual({ kind: "Literal", value: 1_000_000n, type: Types.timestamp });
    expect(lit(null).expr).toEqual({ kind: "Literal", value: null, type: Types.null });
  });

  it("builds list literals of a common element type", () => {
    expect(lit([1, 2.5]).expr).toEqual({ kind: "Literal", value: [1, 2.5], type: Types.list(Types.float64) });
    expect(() => lit([1, "x"])).toThrow(/mixed types/);
  });

  it("re-types with an explicit type", () => {
    expect(lit(5, "int64").expr).toEqual({ kind: "Literal", value: 5n, type: Types.int64 });
    expect(lit("2024-01-01", "date").expr).toEqual({ kind: "Cast", expr: { kind: "Literal", value: "2024-01-01", type: Types.string }, to: Types.date });
    expect(lit(null, "string").expr).toEqual({ kind: "Literal", value: null, type: Types.string });
  });
});

describe("parseType", () => {
  it("accepts Spark and Arrow spellings", () => {
    expect(parseType("bigint")).toEqual(Types.int64);
    expect(parseType("double")).toEqual(Types.float64);
    expect(parseType("utf8")).toEqual(Types.string);
    expect(parseType("array<int>")).toEqual(Types.list(Types.int32));
  });
  it("names the accepted types for an unknown one", () => {
    expect(() => parseType("int128")).toThrow(/Unknown type "int128"; use one of bool, int32, int64/);
    expect(() => parseType("decimal(40,2)")).toThrow(/precision must be 1..18/);
  });
});
