/**
 * Type rules shared by the analyzer (which inserts the casts) and the expression compiler (which
 * trusts them). One place, so the type a plan promises is the type a worker produces.
 * Spark's non-ANSI rules, simplified: numeric widening int32 < int64 < decimal < float64;
 * `/` always yields float64 (decimal / decimal stays decimal); dates and timestamps compare with
 * each other by widening date to timestamp; strings never silently become numbers.
 */
import type { AggFn, BinaryOp, RankingFn } from "./ir.js";
import { type DataType, isNumeric, typesEqual, typeToString, Types } from "./types.js";

const NUMERIC_RANK = { int32: 1, int64: 2, decimal: 3, float64: 4 } as const;

/** The type both sides of a comparison or arithmetic are cast to, or undefined if none. */
export function commonType(a: DataType, b: DataType): DataType | undefined {
  if (typesEqual(a, b)) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === "decimal" && b.kind === "decimal") {
      const scale = Math.max(a.scale, b.scale);
      const intDigits = Math.max(a.precision - a.scale, b.precision - b.scale);
      return Types.decimal(Math.min(18, intDigits + scale), scale);
    }
    const ra = NUMERIC_RANK[a.kind as keyof typeof NUMERIC_RANK];
    const rb = NUMERIC_RANK[b.kind as keyof typeof NUMERIC_RANK];
    // int64 with decimal: the decimal keeps its scale and grows to hold the integer (capped at 18).
    if ((a.kind === "decimal" || b.kind === "decimal") && Math.max(ra, rb) === 3) {
      const d = (a.kind === "decimal" ? a : b) as DataType & { kind: "decimal" };
      return Types.decimal(Math.min(18, Math.max(d.precision, 18)), d.scale);
    }
    return ra >= rb ? a : b;
  }
  if ((a.kind === "date" && b.kind === "timestamp") || (a.kind === "timestamp" && b.kind === "date")) return Types.timestamp;
  if (a.kind === "list" && b.kind === "list") {
    const e = commonType(a.element, b.element);
    return e ? Types.list(e) : undefined;
  }
  return undefined;
}

export type BinaryTyping =
  | { readonly ok: true; readonly operandType: DataType; readonly resultType: DataType }
  | { readonly ok: false; readonly message: string };

/** Operand type (both sides are cast to it) and result type of a binary operator. */
export function binaryTyping(op: BinaryOp, left: DataType, right: DataType): BinaryTyping {
  const fail = (why: string): BinaryTyping => ({
    ok: false,
    message: `cannot apply "${op}" to ${typeToString(left)} and ${typeToString(right)}: ${why}`,
  });
  if (op === "and" || op === "or") {
    const okSide = (t: DataType) => t.kind === "bool" || t.kind === "null";
    return okSide(left) && okSide(right)
      ? { ok: true, operandType: Types.bool, resultType: Types.bool }
      : fail("both sides must be boolean");
  }
  const common = commonType(left, right);
  if (!common) return fail("the types have no common type; cast one side explicitly");
  switch (op) {
    case "=": case "!=": case "<": case "<=": case ">": case ">=": case "<=>":
      if (common.kind === "list") return fail("lists cannot be compared");
      return { ok: true, operandType: common, resultType: Types.bool };
    case "+": case "-": case "*": case "%": {
      const t = common.kind === "null" ? Types.int32 : common;
      if (!isNumeric(t)) return fail("arithmetic needs numbers (use F.dateAdd / F.datediff for dates, F.concat for strings)");
      return { ok: true, operandType: t, resultType: t };
    }
    case "/": {
      const t = common.kind === "null" ? Types.float64 : common;
      if (!isNumeric(t)) return fail("division needs numbers");
      if (t.kind === "decimal") return { ok: true, operandType: t, resultType: Types.decimal(18, Math.max(6, t.scale)) };
      return { ok: true, operandType: Types.float64, resultType: Types.float64 };
    }
  }
}

/** Result type of an aggregate over `args` (count(*) has no args). Error message if not applicable. */
export function aggResultType(fn: AggFn, args: readonly DataType[]): DataType | string {
  const a = args[0];
  const needNumeric = (t: DataType | undefined): t is DataType => !!t && (isNumeric(t) || t.kind === "null");
  switch (fn) {
    case "count": case "count_distinct": case "approx_count_distinct":
      return Types.int64;
    case "sum":
      if (!needNumeric(a)) return `sum needs a numeric column, got ${a ? typeToString(a) : "nothing"}`;
      return a.kind === "float64" ? Types.float64 : a.kind === "decimal" ? Types.decimal(18, a.scale) : Types.int64;
    case "avg": case "stddev": case "stddev_pop": case "variance": case "var_pop": case "median": case "percentile":
      if (!needNumeric(a)) return `${fn} needs a numeric column, got ${a ? typeToString(a) : "nothing"}`;
      return Types.float64;
    case "corr": case "covar_pop": case "covar_samp": {
      const b = args[1];
      if (args.length !== 2) return `${fn} needs two columns, got ${args.length}`;
      if (!needNumeric(a) || !needNumeric(b)) return `${fn} needs two numeric columns, got ${args.map(typeToString).join(" and ")}`;
      return Types.float64;
    }
    case "min": case "max": case "first": case "last":
      if (!a) return `${fn} needs one column`;
      return a;
    case "collect_list": case "collect_set":
      if (!a) return `${fn} needs one column`;
      return Types.list(a);
  }
}

/** Result type of a ranking/offset window function. */
export function rankingResultType(fn: RankingFn, args: readonly DataType[]): DataType {
  switch (fn) {
    case "row_number": case "rank": case "dense_rank": case "ntile":
      return Types.int32;
    case "percent_rank": case "cume_dist":
      return Types.float64;
    case "lag": case "lead":
      return args[0] ?? Types.null;
  }
}
