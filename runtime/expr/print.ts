/**
 * Expressions as short SQL-like text, for error messages and for the names of unaliased output
 * columns (Spark names `select(col("a").add(1))` "(a + 1)" and `F.sum("x")` "sum(x)").
 */
import type { Expr, FrameBound, LiteralValue, SortOrder, WindowSpec } from "./ir.js";
import { typeToString } from "./types.js";

const OP_TEXT: Readonly<Record<string, string>> = { and: "AND", or: "OR", "!=": "!=", "<=>": "<=>" };

function literalText(value: LiteralValue): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return `'${value.replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `array(${(value as readonly LiteralValue[]).map(literalText).join(", ")})`;
  return String(value);
}

function boundText(b: FrameBound, type: "rows" | "range"): string {
  switch (b.kind) {
    case "unboundedPreceding": return "UNBOUNDED PRECEDING";
    case "unboundedFollowing": return "UNBOUNDED FOLLOWING";
    case "currentRow": return "CURRENT ROW";
    case "offset": return b.value < 0 ? `${-b.value} PRECEDING` : `${b.value} FOLLOWING`;
  }
  return type;
}

export function sortOrderToString(o: SortOrder): string {
  const dir = o.ascending ? "ASC" : "DESC";
  const nulls = o.nullsFirst ? "NULLS FIRST" : "NULLS LAST";
  return `${exprToString(o.expr)} ${dir} ${nulls}`;
}

export function windowSpecToString(spec: WindowSpec): string {
  const parts: string[] = [];
  if (spec.partitionBy.length) parts.push(`PARTITION BY ${spec.partitionBy.map(exprToString).join(", ")}`);
  if (spec.orderBy.length) parts.push(`ORDER BY ${spec.orderBy.map(sortOrderToString).join(", ")}`);
  if (spec.frame) {
    const f = spec.frame;
    parts.push(`${f.type.toUpperCase()} BETWEEN ${boundText(f.start, f.type)} AND ${boundText(f.end, f.type)}`);
  }
  return parts.join(" ");
}

export function exprToString(e: Expr): string {
  switch (e.kind) {
    case "Column": return e.qualifier ? `${e.qualifier}.${e.name}` : e.name;
    case "Literal": return literalText(e.value);
    case "Alias": return `${exprToString(e.expr)} AS ${e.name}`;
    case "Binary": return `(${exprToString(e.left)} ${OP_TEXT[e.op] ?? e.op} ${exprToString(e.right)})`;
    case "Unary":
      switch (e.op) {
        case "not": return `(NOT ${exprToString(e.expr)})`;
        case "negate": return `(- ${exprToString(e.expr)})`;
        case "isNull": return `(${exprToString(e.expr)} IS NULL)`;
        case "isNotNull": return `(${exprToString(e.expr)} IS NOT NULL)`;
        case "isNaN": return `isnan(${exprToString(e.expr)})`;
      }
      break;
    case "Cast": return `CAST(${exprToString(e.expr)} AS ${typeToString(e.to)})`;
    case "Case": {
      const branches = e.branches.map((b) => `WHEN ${exprToString(b.when)} THEN ${exprToString(b.then)}`).join(" ");
      const other = e.otherwise ? ` ELSE ${exprToString(e.otherwise)}` : "";
      return `CASE ${branches}${other} END`;
    }
    case "In": return `(${exprToString(e.expr)}${e.negated ? " NOT" : ""} IN (${e.list.map(exprToString).join(", ")}))`;
    case "Call": return `${e.fn}(${e.args.map(exprToString).join(", ")})`;
    case "Agg": {
      if (e.fn === "count" && e.args.length === 0) return "count(1)";
      if (e.fn === "count_distinct") return `count(DISTINCT ${e.args.map(exprToString).join(", ")})`;
      const p = e.params?.["percentile"];
      const extra = p === undefined ? "" : `, ${p}`;
      return `${e.fn}(${e.distinct ? "DISTINCT " : ""}${e.args.map(exprToString).join(", ")}${extra})`;
    }
    case "Ranking": {
      const args = e.args.map(exprToString);
      if (e.params?.["n"] !== undefined) args.push(String(e.params["n"]));
      return `${e.fn}(${args.join(", ")})`;
    }
    case "Window": return `${exprToString(e.fn)} OVER (${windowSpecToString(e.spec)})`;
    case "Udf": return `${e.name}(${e.args.map(exprToString).join(", ")})`;
    case "Star": return e.qualifier ? `${e.qualifier}.*` : "*";
  }
  return "?";
}

/** The output column name of an expression: its alias, its column name, or its text. */
export function exprName(e: Expr): string {
  if (e.kind === "Alias") return e.name;
  if (e.kind === "Column") return e.name;
  return exprToString(e);
}
