/** Renders a generated query as DuckDB SQL over tables t1 and t2: the oracle's side. */
import type { Agg, Pred, Query, WindowFn } from "./query-model.js";
import { outputColumns } from "./query-model.js";

const lit = (v: number | string) => (typeof v === "number" ? String(v) : `'${v.replace(/'/g, "''")}'`);

export function predSql(p: Pred): string {
  switch (p.kind) {
    case "cmp":
      return `(${p.column} ${p.op} ${lit(p.value)})`;
    case "isNull":
      return `(${p.column} IS ${p.negated ? "NOT " : ""}NULL)`;
    case "between":
      return `(${p.column} BETWEEN ${p.low} AND ${p.high})`;
    case "in":
      return `(${p.column} IN (${p.values.map(lit).join(", ")}))`;
    case "and":
    case "or":
      return `(${predSql(p.left)} ${p.kind.toUpperCase()} ${predSql(p.right)})`;
    case "not":
      return `(NOT ${predSql(p.inner)})`;
  }
}

function aggSql(a: Agg): string {
  switch (a.fn) {
    case "count_star":
      return "count(*)";
    case "count_distinct":
      return `count(DISTINCT ${a.column})`;
    case "stddev":
      return `stddev_samp(${a.column})`;
    default:
      return `${a.fn}(${a.column})`;
  }
}

/** ORDER BY keys of a window: a total order (…, id) unless ties are part of the function's meaning. */
export function windowOrderKeys(fn: WindowFn, orderByValue: boolean): string[] {
  if (!orderByValue) return ["id"];
  const tiesMatter = fn.kind === "rank" || fn.kind === "dense_rank" || (fn.kind === "frame" && fn.frame === "range");
  return tiesMatter ? ["v"] : ["v", "id"];
}

function bound(b: number | null, side: "start" | "end"): string {
  if (b === null) return side === "start" ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING";
  if (b === 0) return "CURRENT ROW";
  return b < 0 ? `${-b} PRECEDING` : `${b} FOLLOWING`;
}

function windowSql(fn: WindowFn, partition: readonly string[], orderByValue: boolean): string {
  const over = [
    partition.length ? `PARTITION BY ${partition.join(", ")}` : "",
    `ORDER BY ${windowOrderKeys(fn, orderByValue).map((k) => `${k} ASC NULLS FIRST`).join(", ")}`,
  ];
  switch (fn.kind) {
    case "row_number":
    case "rank":
    case "dense_rank":
      return `${fn.kind}() OVER (${over.join(" ")})`;
    case "lag":
    case "lead":
      return `${fn.kind}(${fn.column}, ${fn.offset}) OVER (${over.join(" ")})`;
    case "frame":
      return `${fn.agg}(${fn.column}) OVER (${over.join(" ")} ${fn.frame.toUpperCase()} BETWEEN ${bound(fn.start, "start")} AND ${bound(fn.end, "end")})`;
  }
}

export function toSql(q: Query): string {
  let from = "t1";
  if (q.join === "semi") from = "t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.k = t1.k)";
  else if (q.join === "anti") from = "t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.k = t1.k)";
  else if (q.join) from = `t1 ${q.join.toUpperCase()} JOIN t2 USING (k)`;
  // The joined (and filtered) input as a subquery keeps column names plain for the shapes below.
  const where = q.filter ? `${from.includes(" WHERE ") ? " AND" : " WHERE"} ${predSql(q.filter)}` : "";
  const input = `(SELECT * FROM ${from}${where}) AS input`;
  const shape = q.shape;
  let body: string;
  switch (shape.kind) {
    case "select":
      body = `SELECT ${shape.columns.join(", ")} FROM ${input}`;
      break;
    case "distinct":
      body = `SELECT DISTINCT ${shape.columns.join(", ")} FROM ${input}`;
      break;
    case "aggregate": {
      const cols = [...shape.keys, ...shape.aggs.map((a, i) => `${aggSql(a)} AS a${i}`)];
      body = `SELECT ${cols.join(", ")} FROM ${input}${shape.keys.length ? ` GROUP BY ${shape.keys.join(", ")}` : ""}`;
      break;
    }
    case "window":
      body = `SELECT id, k, g, v, ${windowSql(shape.fn, shape.partition, shape.orderByValue)} AS w0 FROM ${input}`;
      break;
  }
  if (!q.topK) return body;
  const dir = q.topK.descending ? "DESC" : "ASC";
  const nulls = q.topK.nullsFirst ? "NULLS FIRST" : "NULLS LAST";
  const order = outputColumns(q).map((c) => `${c} ${dir} ${nulls}`).join(", ");
  return `SELECT * FROM (${body}) AS result ORDER BY ${order} LIMIT ${q.topK.limit}`;
}
