/**
 * Constant folding and algebraic simplification of one expression, with SQL three-valued logic
 * and Spark's non-ANSI arithmetic (int overflow wraps, x / 0 and x % 0 are null).
 * Only folds when the result type is known exactly, so a folded plan computes the same types.
 */
import type { BinaryOp, Expr, LiteralValue } from "../expr/ir.js";
import { type DataType, Types } from "../expr/types.js";
import { isLiteralBool, isNullLiteral, lit, transformExpr } from "./expr-utils.js";

type Literal = Expr & { kind: "Literal" };

export function simplifyExpr(e: Expr): Expr {
  return transformExpr(e, simplifyNode);
}

function literal(value: LiteralValue, type: DataType): Literal {
  return { kind: "Literal", value, type };
}

function simplifyNode(e: Expr): Expr {
  switch (e.kind) {
    case "Binary": return simplifyBinary(e);
    case "Unary": return simplifyUnary(e);
    case "Cast": return simplifyCast(e);
    case "Case": return simplifyCase(e);
    case "Call": return simplifyCall(e);
    default: return e;
  }
}

const COMPARISONS = new Set<BinaryOp>(["=", "!=", "<", "<=", ">", ">="]);
const NEGATED: Partial<Record<BinaryOp, BinaryOp>> = { "=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">" };

function simplifyBinary(e: Expr & { kind: "Binary" }): Expr {
  const { op, left, right } = e;
  if (op === "and") {
    if (isLiteralBool(left, false) || isLiteralBool(right, false)) return lit(false);
    if (isLiteralBool(left, true)) return right;
    if (isLiteralBool(right, true)) return left;
    if (isNullLiteral(left) && isNullLiteral(right)) return lit(null);
    return e;
  }
  if (op === "or") {
    if (isLiteralBool(left, true) || isLiteralBool(right, true)) return lit(true);
    if (isLiteralBool(left, false)) return right;
    if (isLiteralBool(right, false)) return left;
    if (isNullLiteral(left) && isNullLiteral(right)) return lit(null);
    return e;
  }
  if (left.kind !== "Literal" || right.kind !== "Literal") {
    // Null propagation needs the result type: known for comparisons (bool).
    if (COMPARISONS.has(op) && (isNullLiteral(left) || isNullLiteral(right))) return literal(null, Types.bool);
    return e;
  }
  return foldBinary(op, left, right) ?? e;
}

function foldBinary(op: BinaryOp, l: Literal, r: Literal): Expr | undefined {
  if (op === "<=>") {
    if (l.value === null || r.value === null) return lit(l.value === null && r.value === null);
    const c = compare(l.value, r.value);
    return c === undefined ? undefined : lit(c === 0);
  }
  if (COMPARISONS.has(op)) {
    if (l.value === null || r.value === null) return literal(null, Types.bool);
    const c = compare(l.value, r.value);
    if (c === undefined) return undefined;
    const result = op === "=" ? c === 0 : op === "!=" ? c !== 0 : op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
    return lit(result);
  }
  // Arithmetic: operands share a type after analysis; decimals are left to the engine.
  const t = l.type.kind !== "null" ? l.type : r.type;
  if (t.kind === "null" || (l.type.kind !== "null" && r.type.kind !== "null" && l.type.kind !== r.type.kind)) return undefined;
  const resultType = op === "/" ? (t.kind === "decimal" ? undefined : Types.float64) : t;
  if (!resultType) return undefined;
  if (l.value === null || r.value === null) return literal(null, resultType);
  if (t.kind === "int32" || t.kind === "float64") {
    if (typeof l.value !== "number" || typeof r.value !== "number") return undefined;
    const v = numberOp(op, l.value, r.value, t.kind === "int32");
    return literal(v, resultType);
  }
  if (t.kind === "int64") {
    if (typeof l.value !== "bigint" || typeof r.value !== "bigint") return undefined;
    if (op === "/") return literal(r.value === 0n ? null : Number(l.value) / Number(r.value), Types.float64);
    const v = bigintOp(op, l.value, r.value);
    return literal(v, Types.int64);
  }
  return undefined;
}

function numberOp(op: BinaryOp, a: number, b: number, int32: boolean): number | null {
  switch (op) {
    case "+": return int32 ? (a + b) | 0 : a + b;
    case "-": return int32 ? (a - b) | 0 : a - b;
    case "*": return int32 ? Math.imul(a, b) : a * b;
    case "/": return b === 0 ? null : a / b;
    case "%": return b === 0 ? null : int32 ? (a % b) | 0 : a % b;
    default: return null;
  }
}

function bigintOp(op: BinaryOp, a: bigint, b: bigint): bigint | null {
  switch (op) {
    case "+": return BigInt.asIntN(64, a + b);
    case "-": return BigInt.asIntN(64, a - b);
    case "*": return BigInt.asIntN(64, a * b);
    case "%": return b === 0n ? null : a % b;
    default: return null;
  }
}

/** -1/0/1, or undefined when the values are not comparable here (lists, mixed kinds). */
function compare(a: LiteralValue, b: LiteralValue): number | undefined {
  if (typeof a === "number" && typeof b === "number") {
    // Spark orders NaN above every number and equal to itself.
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (typeof a === "string" && typeof b === "string") {
    // Byte order of UTF-8 equals code point order; JS < compares UTF-16 units, so compare code points.
    const ca = Array.from(a, (ch) => ch.codePointAt(0)!);
    const cb = Array.from(b, (ch) => ch.codePointAt(0)!);
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! < cb[i]! ? -1 : 1;
    return ca.length === cb.length ? 0 : ca.length < cb.length ? -1 : 1;
  }
  return undefined;
}

function simplifyUnary(e: Expr & { kind: "Unary" }): Expr {
  const x = e.expr;
  switch (e.op) {
    case "not":
      if (x.kind === "Unary" && x.op === "not") return x.expr;
      if (x.kind === "Literal") return x.value === null ? literal(null, Types.bool) : typeof x.value === "boolean" ? lit(!x.value) : e;
      if (x.kind === "Binary" && NEGATED[x.op]) return { ...x, op: NEGATED[x.op]! };
      if (x.kind === "Unary" && x.op === "isNull") return { ...x, op: "isNotNull" };
      if (x.kind === "Unary" && x.op === "isNotNull") return { ...x, op: "isNull" };
      return e;
    case "isNull":
      return x.kind === "Literal" ? lit(x.value === null) : e;
    case "isNotNull":
      return x.kind === "Literal" ? lit(x.value !== null) : e;
    case "negate":
      if (x.kind !== "Literal") return e;
      if (x.value === null) return x;
      if (x.type.kind === "int32" && typeof x.value === "number") return literal(-x.value | 0, x.type);
      if (x.type.kind === "float64" && typeof x.value === "number") return literal(-x.value, x.type);
      if (x.type.kind === "int64" && typeof x.value === "bigint") return literal(BigInt.asIntN(64, -x.value), x.type);
      return e;
    default:
      return e;
  }
}

function simplifyCast(e: Expr & { kind: "Cast" }): Expr {
  const x = e.expr;
  if (x.kind !== "Literal") return e;
  const from = x.type.kind;
  const to = e.to.kind;
  if (x.value === null) return literal(null, e.to);
  if (from === to && from !== "decimal" && from !== "list") return x;
  if (typeof x.value === "number" && from === "int32" && to === "int64") return literal(BigInt(x.value), e.to);
  if (typeof x.value === "number" && from === "int32" && to === "float64") return literal(x.value, e.to);
  if (typeof x.value === "bigint" && from === "int64" && to === "float64") return literal(Number(x.value), e.to);
  return e;
}

function simplifyCase(e: Expr & { kind: "Case" }): Expr {
  const kept = e.branches.filter((b) => !(isLiteralBool(b.when, false) || isNullLiteral(b.when)));
  const first = kept[0];
  if (first && isLiteralBool(first.when, true)) return first.then;
  if (kept.length === 0) {
    if (e.otherwise) return e.otherwise;
    const typed = e.branches.find((b) => b.then.kind === "Literal")?.then;
    return typed?.kind === "Literal" ? literal(null, typed.type) : e;
  }
  // Branches after an always-true condition can never run.
  const alwaysIdx = kept.findIndex((b) => isLiteralBool(b.when, true));
  if (alwaysIdx > 0) return { kind: "Case", branches: kept.slice(0, alwaysIdx), otherwise: kept[alwaysIdx]!.then };
  return kept.length === e.branches.length ? e : { ...e, branches: kept };
}

function simplifyCall(e: Expr & { kind: "Call" }): Expr {
  if (e.fn !== "coalesce" || e.args.length === 0) return e;
  const args = e.args.filter((a, i) => !isNullLiteral(a) || i === e.args.length - 1);
  const firstNonNull = args.findIndex((a) => a.kind === "Literal" && a.value !== null);
  const trimmed = firstNonNull >= 0 ? args.slice(0, firstNonNull + 1) : args;
  if (trimmed.length === 1 && trimmed[0]!.kind === "Literal" && trimmed[0]!.value !== null) return trimmed[0]!;
  return trimmed.length === e.args.length ? e : { ...e, args: trimmed };
}
