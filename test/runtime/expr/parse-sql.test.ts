import { describe, expect, it } from "vitest";
import { parseSqlExpr } from "../../../runtime/expr/parse-sql.js";
import { exprToString } from "../../../runtime/expr/print.js";

const text = (sql: string) => exprToString(parseSqlExpr(sql));

describe("SQL expression text", () => {
  it("respects precedence: NOT > AND > OR, * over +, comparisons in between", () => {
    expect(text("a + b * 2 > 3 AND NOT c OR d = 'x'")).toBe("((((a + (b * 2)) > 3) AND (NOT c)) OR (d = 'x'))");
    expect(text("(a + b) * 2")).toBe("((a + b) * 2)");
    expect(text("-a - -1")).toBe("((- a) - -1)");
  });

  it("reads literals with their types", () => {
    expect(parseSqlExpr("5")).toMatchObject({ kind: "Literal", value: 5, type: { kind: "int32" } });
    expect(parseSqlExpr("9999999999")).toMatchObject({ kind: "Literal", value: 9999999999n, type: { kind: "int64" } });
    expect(parseSqlExpr("1.5e2")).toMatchObject({ kind: "Literal", value: 150, type: { kind: "float64" } });
    expect(parseSqlExpr("'it''s'")).toMatchObject({ kind: "Literal", value: "it's" });
    expect(text("NULL IS NULL AND TRUE")).toBe("((NULL IS NULL) AND true)");
  });

  it("reads IS [NOT] NULL, [NOT] IN, BETWEEN, LIKE, <=> and <>", () => {
    expect(text("x IS NOT NULL")).toBe("(x IS NOT NULL)");
    expect(text("x NOT IN (1, 2)")).toBe("(x NOT IN (1, 2))");
    expect(text("x BETWEEN 1 AND 5")).toBe("((x >= 1) AND (x <= 5))");
    expect(text("name NOT LIKE 'a%'")).toBe("(NOT like(name, 'a%'))");
    expect(text("a <=> b AND a <> c")).toBe("((a <=> b) AND (a != c))");
  });

  it("reads qualified and quoted names, star, aliases", () => {
    expect(parseSqlExpr("o.id")).toEqual({ kind: "Column", name: "id", qualifier: "o" });
    expect(parseSqlExpr("`odd name`")).toEqual({ kind: "Column", name: "odd name" });
    expect(parseSqlExpr("o.*")).toEqual({ kind: "Star", qualifier: "o" });
    expect(parseSqlExpr("amount * 2 AS double")).toMatchObject({ kind: "Alias", name: "double" });
  });

  it("reads functions, aggregates, CASE and CAST", () => {
    expect(text("coalesce(a, 0)")).toBe("coalesce(a, 0)");
    expect(text("count(*)")).toBe("count(1)");
    expect(text("count(DISTINCT u)")).toBe("count(DISTINCT u)");
    expect(text("sum(x) / count(1)")).toBe("(sum(x) / count(1))");
    expect(text("CASE WHEN x > 0 THEN 'pos' ELSE 'neg' END")).toBe("CASE WHEN (x > 0) THEN 'pos' ELSE 'neg' END");
    expect(text("CASE k WHEN 1 THEN 'one' END")).toBe("CASE WHEN (k = 1) THEN 'one' END");
    expect(text("CAST(x AS decimal(10,2)) + 1")).toBe("(CAST(x AS decimal(10,2)) + 1)");
  });

  it("points at the problem in bad text", () => {
    expect(() => parseSqlExpr("a >")).toThrow(/ended early/);
    expect(() => parseSqlExpr("a b")).toThrow(/unexpected "b" at position 2 of: a b/);
    expect(() => parseSqlExpr("a # 1")).toThrow(/Cannot read "# 1" at position 1/);
    expect(() => parseSqlExpr("")).toThrow(/empty/);
  });
});
