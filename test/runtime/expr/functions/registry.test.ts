import { describe, expect, it } from "vitest";
import { getFunction, listFunctions, suggestFunctions } from "../../../../runtime/expr/functions/registry.js";
import { Types } from "../../../../runtime/expr/types.js";

describe("function registry", () => {
  it("finds functions by snake_case, camelCase and alias", () => {
    expect(getFunction("regexp_extract")?.name).toBe("regexp_extract");
    expect(getFunction("regexpExtract")?.name).toBe("regexp_extract");
    expect(getFunction("substr")?.name).toBe("substring");
    expect(getFunction("no_such_fn")).toBeUndefined();
  });

  it("covers the functions the API promises", () => {
    const names = new Set(listFunctions().map((f) => f.name));
    for (const n of ["coalesce", "lower", "upper", "trim", "substring", "concat", "concat_ws", "split", "length",
      "regexp_extract", "regexp_replace", "like", "rlike", "to_date", "to_timestamp", "date_trunc", "datediff",
      "date_add", "year", "month", "dayofweek", "hour", "unix_timestamp", "from_unixtime", "abs", "round", "floor",
      "ceil", "log", "exp", "sqrt", "pow", "greatest", "least", "isnan"]) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it("types results and asks for implicit casts", () => {
    const sub = getFunction("substring")!;
    expect(sub.resultType([Types.string, Types.int64])).toEqual(Types.string);
    expect(sub.castArgsTo!([Types.string, Types.int64])).toEqual([Types.string, Types.int32]);
    expect(getFunction("year")!.castArgsTo!([Types.timestamp])).toEqual([Types.date]);
    expect(getFunction("coalesce")!.resultType([Types.int32, Types.int64, Types.null])).toEqual(Types.int64);
    expect(getFunction("floor")!.resultType([Types.float64])).toEqual(Types.int64);
    expect(getFunction("round")!.resultType([Types.decimal(10, 2)])).toEqual(Types.decimal(10, 2));
    expect(getFunction("split")!.resultType([Types.string, Types.string])).toEqual(Types.list(Types.string));
  });

  it("explains wrong argument types and counts", () => {
    expect(getFunction("sqrt")!.resultType([Types.string])).toMatch(/sqrt: argument 1 must be a number, got string/);
    expect(getFunction("substring")!.resultType([Types.string])).toMatch(/substring takes 2 to 3 arguments, got 1/);
    expect(getFunction("coalesce")!.resultType([Types.int32, Types.string])).toMatch(/no common type \(int32, string\)/);
  });

  it("documents every function", () => {
    for (const f of listFunctions()) {
      expect(f.doc.signature.startsWith(f.name), f.name).toBe(true);
      expect(f.doc.description.length, f.name).toBeGreaterThan(10);
      expect(f.doc.example.length, f.name).toBeGreaterThan(3);
    }
  });

  it("suggests near names", () => {
    expect(suggestFunctions("lowr")).toContain("lower");
  });
});

describe("docs/functions.md", () => {
  it("is the rendering of the registry (regenerate: UPDATE_FUNCTION_DOCS=1 npx vitest run test/runtime/expr/functions/registry.test.ts)", async () => {
    const { readFileSync, writeFileSync } = await import("node:fs");
    const { renderFunctionsMarkdown } = await import("../../../../runtime/expr/functions/docs-markdown.js");
    const file = new URL("../../../../docs/functions.md", import.meta.url);
    const rendered = renderFunctionsMarkdown();
    if (process.env.UPDATE_FUNCTION_DOCS) writeFileSync(file, rendered);
    const md = readFileSync(file, "utf8");
    for (const f of listFunctions()) expect(md, `docs/functions.md lacks ${f.name}`).toContain(`### ${f.name}\n`);
    expect(md).toBe(rendered);
  });
});
