/**
 * Expressions as explain prints them, in Spark's style without the #ids: `(amount > 100)`,
 * `sum(amount)`, `CASE WHEN ... END`, `row_number() OVER (PARTITION BY ... ORDER BY ...)`.
 */
import type { Expr, FrameBound, LiteralValue, SortOrder, WindowFrame } from "../expr/ir.js";
import { type DataType, typeToString } from "../expr/types.js";

const DAY_MS = 86_400_000;

function literalText(value: LiteralValue, type: DataType): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => literalText(v, type.kind === "list" ? type.element : type)).join(", ")}]`;
  switch (type.kind) {
    case "string": return `'${String(value).replace(/'/g, "\\'")}'`;
    case "date": return typeof value === "number" ? `DATE '${new Date(value * DAY_MS).toISOString().slice(0, 10)}'` : String(value);
    case "timestamp": return typeof value === "bigint" ? `TIMESTAMP '${new Date(Number(value / 1000n)).toISOString()}'` : String(value);
    case "int64": return `${String(value)}L`;
    case "decimal": return typeof value === "bigint" ? decimalText(value, type.scale) : String(value);
    default: return String(value);
  }
}

function decimalText(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const OP_TEXT: Record<string, string> = { and: "AND", or: "OR" };

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "Column": return e.qualifier ? `${e.qualifier}.${e.name}` : e.name;
    case "Literal": return literalText(e.value, e.type);
    case "Alias": return `${printExpr(e.expr)} AS ${e.name}`;
    case "Binary": return `(${printExpr(e.left)} ${OP_TEXT[e.op] ?? e.op} ${printExpr(e.right)})`;
    case "Unary":
      switch (e.op) {
        case "not": return `NOT ${printExpr(e.expr)}`;
        case "negate": return `-${printExpr(e.expr)}`;
        default: return `${e.op.toLowerCase()}(${printExpr(e.expr)})`;
      }
    case "Cast": return `cast(${printExpr(e.expr)} as ${typeToString(e.to)})`;
    case "Case": {
      const whens = e.branches.map((b) => `WHEN ${printExpr(b.when)} THEN ${printExpr(b.then)}`).join(" ");
      return `CASE ${whens}${e.otherwise ? ` ELSE ${printExpr(e.otherwise)}` : ""} END`;
    }
    case "In": return `${e.negated ? "NOT " : ""}${printExpr(e.expr)} IN (${e.list.map(printExpr).join(", ")})`;
    case "Call": return `${e.fn}(${e.args.map(printExpr).join(", ")})`;
    case "Agg": return printAgg(e.fn, e.args, e.distinct, e.params);
    case "Ranking": return `${e.fn}(${e.args.map(printExpr).join(", ")})`;
    case "Window": {
      const parts: string[] = [];
      if (e.spec.partitionBy.length) parts.push(`PARTITION BY ${e.spec.partitionBy.map(printExpr).join(", ")}`);
      if (e.spec.orderBy.length) parts.push(`ORDER BY ${printOrders(e.spec.orderBy)}`);
      if (e.spec.frame) parts.push(printFrame(e.spec.frame));
      return `${printExpr(e.fn)} OVER (${parts.join(" ")})`;
    }
    case "Udf": return `${e.name}(${e.args.map(printExpr).join(", ")})`;
    case "Star": return e.qualifier ? `${e.qualifier}.*` : "*";
  }
}

export function printAgg(fn: string, args: readonly Expr[], distinct: boolean, params?: Readonly<Record<string, number | boolean>>): string {
  const inner = args.length === 0 ? "1" : args.map(printExpr).join(", ");
  const extra = params && "percentile" in params ? `, ${params["percentile"]}` : "";
  return `${fn}(${distinct ? "DISTINCT " : ""}${inner}${extra})`;
}

export function printOrder(o: SortOrder): string {
  return `${printExpr(o.expr)} ${o.ascending ? "ASC" : "DESC"} NULLS ${o.nullsFirst ? "FIRST" : "LAST"}`;
}

export function printOrders(os: readonly SortOrder[]): string {
  return os.map(printOrder).join(", ");
}

function printBound(b: FrameBound): string {
  switch (b.kind) {
    case "unboundedPreceding": return "UNBOUNDED PRECEDING";
    case "unboundedFollowing": return "UNBOUNDED FOLLOWING";
    case "currentRow": return "CURRENT ROW";
    case "offset": return b.value < 0 ? `${-b.value} PRECEDING` : `${b.value} FOLLOWING`;
  }
}

export function printFrame(f: WindowFrame): string {
  return `${f.type.toUpperCase()} BETWEEN ${printBound(f.start)} AND ${printBound(f.end)}`;
}

export function printList(es: readonly Expr[]): string {
  return `[${es.map(printExpr).join(", ")}]`;
}
