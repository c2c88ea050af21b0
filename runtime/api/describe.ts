/**
 * df.describe(): Spark's summary (count, mean, stddev, min, max) of numeric and string columns,
 * one row per statistic with values as strings. One aggregation pass computes every statistic;
 * a cross join with the five statistic names turns that single row into five.
 */
import { col, Column, lit, when } from "../expr/column.js";
import { isNumeric } from "../expr/types.js";
import * as A from "../logical/analyzer.js";
import type { DataFrame } from "./dataframe.js";

const STATS = [["count", "count"], ["mean", "avg"], ["stddev", "stddev"], ["min", "min"], ["max", "max"]] as const;

export function describeFrame(df: DataFrame, cols: readonly string[]): DataFrame {
  const fields = cols.length > 0
    ? cols.map((c) => A.resolveField(df.schema, c).field)
    : df.schema.fields.filter((f) => isNumeric(f.type) || f.type.kind === "string");
  if (fields.length === 0) throw new A.AnalysisError("describe() found no numeric or string columns; name the columns to describe");
  const key = (stat: string, i: number) => `${stat}__${i}`;
  const values = df.agg(
    ...fields.flatMap((f, i) =>
      STATS
        .filter(([stat]) => isNumeric(f.type) || (stat !== "mean" && stat !== "stddev"))
        .map(([stat, fn]) => new Column({ kind: "Agg", fn, args: [A.columnRef(f)], distinct: false }).cast("string").alias(key(stat, i))),
    ),
  );
  const names = df.session.createDataFrame(STATS.map(([stat], order) => ({ summary: stat, __order: order })), { summary: "string", __order: "int32" });
  const has = new Set(values.columns);
  const pick = (i: number) =>
    STATS.reduce<Column>(
      (acc, [stat]) => (has.has(key(stat, i)) ? when(col("summary").eq(stat), col(key(stat, i))).otherwise(acc) : acc),
      lit(null, "string"),
    );
  return names.crossJoin(values).orderBy("__order").select("summary", ...fields.map((f, i) => pick(i).alias(f.name)));
}
