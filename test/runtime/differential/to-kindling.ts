/** Renders a generated query as a Kindling DataFrame program: the engine's side. */
import { col, F, lit, Window, type Column, type DataFrame } from "../../../runtime/index.js";
import type { Agg, Cmp, Pred, Query, WindowFn } from "./query-model.js";
import { outputColumns } from "./query-model.js";
import { windowOrderKeys } from "./to-sql.js";

function compare(c: Column, op: Cmp, v: Column): Column {
  switch (op) {
    case "=": return c.eq(v);
    case "!=": return c.neq(v);
    case "<": return c.lt(v);
    case "<=": return c.le(v);
    case ">": return c.gt(v);
    case ">=": return c.ge(v);
  }
}

export function predColumn(p: Pred): Column {
  switch (p.kind) {
    case "cmp":
      return compare(col(p.column), p.op, lit(p.value));
    case "isNull":
      return p.negated ? col(p.column).isNotNull() : col(p.column).isNull();
    case "between":
      return col(p.column).between(p.low, p.high);
    case "in":
      return col(p.column).isin(...p.values);
    case "and":
      return predColumn(p.left).and(predColumn(p.right));
    case "or":
      return predColumn(p.left).or(predColumn(p.right));
    case "not":
      return predColumn(p.inner).not();
  }
}

function aggColumn(a: Agg, i: number): Column {
  const named = (c: Column) => c.alias(`a${i}`);
  switch (a.fn) {
    case "count_star": return named(F.count());
    case "count": return named(F.count(a.column));
    case "sum": return named(F.sum(a.column));
    case "avg": return named(F.avg(a.column));
    case "min": return named(F.min(a.column));
    case "max": return named(F.max(a.column));
    case "count_distinct": return named(F.countDistinct(a.column));
    case "median": return named(F.median(a.column));
    case "stddev": return named(F.stddev(a.column));
  }
}

function windowColumn(fn: WindowFn, partition: readonly string[], orderByValue: boolean): Column {
  const order = windowOrderKeys(fn, orderByValue).map((k) => col(k).ascNullsFirst());
  let spec = Window.partitionBy(...partition).orderBy(...order);
  switch (fn.kind) {
    case "row_number": return F.rowNumber().over(spec);
    case "rank": return F.rank().over(spec);
    case "dense_rank": return F.denseRank().over(spec);
    case "lag": return F.lag(fn.column, fn.offset).over(spec);
    case "lead": return F.lead(fn.column, fn.offset).over(spec);
    case "frame": {
      const start = fn.start ?? Window.unboundedPreceding;
      const end = fn.end ?? Window.unboundedFollowing;
      spec = fn.frame === "rows" ? spec.rowsBetween(start, end) : spec.rangeBetween(start, end);
      const aggFn = { sum: F.sum, avg: F.avg, min: F.min, max: F.max, count: F.count }[fn.agg];
      return aggFn(fn.column).over(spec);
    }
  }
}

export function toKindling(q: Query, t1: DataFrame, t2: DataFrame): DataFrame {
  let df = q.join ? t1.join(t2, { on: "k", how: q.join }) : t1;
  if (q.filter) df = df.filter(predColumn(q.filter));
  const shape = q.shape;
  switch (shape.kind) {
    case "select":
      df = df.select(...shape.columns);
      break;
    case "distinct":
      df = df.select(...shape.columns).distinct();
      break;
    case "aggregate":
      df = df.groupBy(...shape.keys).agg(...shape.aggs.map(aggColumn));
      break;
    case "window":
      df = df.select(col("id"), col("k"), col("g"), col("v"), windowColumn(shape.fn, shape.partition, shape.orderByValue).alias("w0"));
      break;
  }
  if (!q.topK) return df;
  const { descending, nullsFirst } = q.topK;
  const order = outputColumns(q).map((c) =>
    descending ? (nullsFirst ? col(c).descNullsFirst() : col(c).descNullsLast()) : nullsFirst ? col(c).ascNullsFirst() : col(c).ascNullsLast(),
  );
  return df.orderBy(...order).limit(q.topK.limit);
}
