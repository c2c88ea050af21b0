import { describe, expect, it } from "vitest";
import { col, F, session, Window } from "../../../runtime/index.js";
import { getFunction } from "../../../runtime/expr/functions/registry.js";
import type { Column } from "../../../runtime/expr/column.js";

const s = session({ workers: 2 });
const df = s.createDataFrame([], {
  s: "string", n: "int32", big: "int64", x: "float64", d: "date", t: "timestamp", b: "bool", secs: "int64",
});

/** Each F function, applied to columns of a fitting type, and the type it must produce. */
const scalarCases: readonly [string, Column, string][] = [
  ["coalesce", F.coalesce("x", "n"), "float64"],
  ["nullif", F.nullif("n", 0), "int32"],
  ["greatest", F.greatest("n", "big"), "int64"],
  ["least", F.least("x", "n"), "float64"],
  ["lower", F.lower("s"), "string"],
  ["upper", F.upper("s"), "string"],
  ["trim", F.trim("s"), "string"],
  ["ltrim", F.ltrim("s"), "string"],
  ["rtrim", F.rtrim("s"), "string"],
  ["substring", F.substring("s", 1, 3), "string"],
  ["concat", F.concat("s", "s"), "string"],
  ["concatWs", F.concatWs("-", "s", "s"), "string"],
  ["split", F.split("s", ","), "list<string>"],
  ["length", F.length("s"), "int32"],
  ["regexpExtract", F.regexpExtract("s", "(\\d+)", 1), "string"],
  ["regexpReplace", F.regexpReplace("s", "\\d", "#"), "string"],
  ["like", F.like("s", "a%"), "bool"],
  ["rlike", F.rlike("s", "^a"), "bool"],
  ["startswith", F.startswith("s", "a"), "bool"],
  ["endswith", F.endswith("s", "a"), "bool"],
  ["contains", F.contains("s", "a"), "bool"],
  ["toDate", F.toDate("s"), "date"],
  ["toDate with format", F.toDate("s", "yyyy-MM-dd"), "date"],
  ["toTimestamp", F.toTimestamp("s"), "timestamp"],
  ["dateTrunc", F.dateTrunc("day", "t"), "timestamp"],
  ["datediff", F.datediff("d", "d"), "int32"],
  ["dateAdd", F.dateAdd("d", 7), "date"],
  ["dateSub", F.dateSub("d", 7), "date"],
  ["year", F.year("t"), "int32"],
  ["month", F.month("d"), "int32"],
  ["dayofmonth", F.dayofmonth("d"), "int32"],
  ["dayofweek", F.dayofweek("d"), "int32"],
  ["hour", F.hour("t"), "int32"],
  ["minute", F.minute("t"), "int32"],
  ["second", F.second("t"), "int32"],
  ["unixTimestamp", F.unixTimestamp("t"), "int64"],
  ["fromUnixtime", F.fromUnixtime("secs"), "string"],
  ["abs", F.abs("n"), "int32"],
  ["round", F.round("x", 2), "float64"],
  ["floor", F.floor("x"), "int64"],
  ["ceil", F.ceil("x"), "int64"],
  ["log", F.log("x"), "float64"],
  ["log with base", F.log(10, "x"), "float64"],
  ["log10", F.log10("x"), "float64"],
  ["exp", F.exp("x"), "float64"],
  ["sqrt", F.sqrt("n"), "float64"],
  ["pow", F.pow("x", 2), "float64"],
];

describe("F scalar functions", () => {
  it.each(scalarCases)("%s exists in the registry and types as expected", (_name, column, type) => {
    const e = column.expr;
    if (e.kind === "Call") expect(getFunction(e.fn), `registry has ${e.fn}`).toBeDefined();
    expect(df.select(column.alias("out")).dtypes).toEqual([["out", type]]);
  });

  it("bucketizes with split points into a CASE", () => {
    const out = df.select(F.bucketize("x", [0, 10, 100]).alias("bucket"));
    expect(out.dtypes).toEqual([["bucket", "int32"]]);
    expect(() => F.bucketize("x", [1])).toThrow(/at least two split points/);
  });
});

const aggCases: readonly [string, Column, string][] = [
  ["count(*)", F.count("*"), "int64"],
  ["count(col)", F.count("x"), "int64"],
  ["countDistinct", F.countDistinct("s", "n"), "int64"],
  ["approxCountDistinct", F.approxCountDistinct("s"), "int64"],
  ["sum int", F.sum("n"), "int64"],
  ["sum float", F.sum("x"), "float64"],
  ["sumDistinct", F.sumDistinct("n"), "int64"],
  ["avg", F.avg("n"), "float64"],
  ["mean", F.mean("x"), "float64"],
  ["min", F.min("t"), "timestamp"],
  ["max", F.max("s"), "string"],
  ["first", F.first("s", true), "string"],
  ["last", F.last("d"), "date"],
  ["stddev", F.stddev("x"), "float64"],
  ["stddevPop", F.stddevPop("x"), "float64"],
  ["variance", F.variance("x"), "float64"],
  ["varPop", F.varPop("x"), "float64"],
  ["median", F.median("x"), "float64"],
  ["percentile", F.percentile("x", 0.9), "float64"],
  ["collectList", F.collectList("s"), "list<string>"],
  ["collectSet", F.collectSet("n"), "list<int32>"],
];

describe("F aggregates", () => {
  it.each(aggCases)("%s types as expected in agg()", (_name, column, type) => {
    expect(df.groupBy("b").agg(column.alias("out")).dtypes).toEqual([["b", "bool"], ["out", type]]);
  });

  it("rejects sum over strings with both types named", () => {
    expect(() => df.agg(F.sum("s"))).toThrow(/sum needs a numeric column, got string/);
  });

  it("validates percentile's p", () => {
    expect(() => F.percentile("x", 1.5)).toThrow(/between 0 and 1/);
  });
});

describe("F window functions", () => {
  const w = Window.partitionBy("s").orderBy(col("t").desc());
  const windowCases: readonly [string, Column, string][] = [
    ["rowNumber", F.rowNumber(), "int32"],
    ["rank", F.rank(), "int32"],
    ["denseRank", F.denseRank(), "int32"],
    ["percentRank", F.percentRank(), "float64"],
    ["cumeDist", F.cumeDist(), "float64"],
    ["ntile", F.ntile(4), "int32"],
    ["lag", F.lag("x", 2), "float64"],
    ["lead with default", F.lead("n", 1, 0), "int32"],
    ["running sum", F.sum("x"), "float64"],
    ["snake alias", F.row_number(), "int32"],
  ];
  it.each(windowCases)("%s over a window", (_name, column, type) => {
    expect(df.select(column.over(w).alias("out")).dtypes).toEqual([["out", type]]);
  });

  it("records lag offset and default the way the window operator reads them", () => {
    expect(F.lag("x", 2, 0).expr).toMatchObject({
      kind: "Ranking", fn: "lag", params: { offset: 2 }, args: [{ kind: "Column" }, { kind: "Literal", value: 2 }, { kind: "Literal", value: 0 }],
    });
    const w = Window.partitionBy("s").orderBy("t");
    const analyzed = df.withColumn("next", F.lead("x", 1, 0).over(w)).plan as { kind: string; exprs: readonly { expr: { fn: { args: readonly unknown[] } } }[] };
    expect(analyzed.kind).toBe("Window");
    expect(analyzed.exprs[0]!.expr.fn.args[2]).toEqual({ kind: "Literal", value: 0, type: { kind: "float64" } });
    expect(() => F.lag("x", -1)).toThrow(/non-negative/);
  });
});
