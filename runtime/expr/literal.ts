/**
 * JavaScript values to typed literals. Integers that fit int32 are int32 (Spark's `lit(5)` is an int),
 * larger safe integers and bigints are int64, other numbers float64, Dates are timestamps
 * (microseconds since epoch, UTC). Arrays become list literals of their elements' common type.
 */
import type { Expr, LiteralValue } from "./ir.js";
import { commonType } from "./coercion.js";
import { type DataType, Types, typesEqual } from "./types.js";

/** Values a user may pass where an expression is expected and a literal is meant. */
export type JsValue = null | undefined | boolean | number | bigint | string | Date | readonly JsValue[];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** A literal of the value's natural type; with `type`, re-typed in place when lossless, else wrapped in a Cast. */
export function literalExpr(value: JsValue, type?: DataType): Expr {
  const lit = inferLiteral(value);
  if (!type || typesEqual(lit.type, type)) return lit;
  if (lit.value === null) return { kind: "Literal", value: null, type };
  const direct =
    (type.kind === "int64" && (lit.type.kind === "int32" || lit.type.kind === "int64")) ||
    (type.kind === "float64" && (lit.type.kind === "int32" || lit.type.kind === "int64")) ||
    (type.kind === "timestamp" && lit.type.kind === "int64");
  if (direct) return { kind: "Literal", value: convertLiteral(lit.value, lit.type, type), type };
  return { kind: "Cast", expr: lit, to: type };
}

export function inferLiteralType(value: JsValue): DataType {
  return inferLiteral(value).type;
}

function inferLiteral(value: JsValue): Expr & { kind: "Literal" } {
  if (value === null || value === undefined) return { kind: "Literal", value: null, type: Types.null };
  if (typeof value === "boolean") return { kind: "Literal", value, type: Types.bool };
  if (typeof value === "string") return { kind: "Literal", value, type: Types.string };
  if (typeof value === "bigint") return { kind: "Literal", value, type: Types.int64 };
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return { kind: "Literal", value, type: Types.int32 };
    if (Number.isSafeInteger(value)) return { kind: "Literal", value: BigInt(value), type: Types.int64 };
    return { kind: "Literal", value, type: Types.float64 };
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("lit(): the Date is invalid (NaN time)");
    return { kind: "Literal", value: BigInt(value.getTime()) * 1000n, type: Types.timestamp };
  }
  if (Array.isArray(value)) {
    const items = (value as readonly JsValue[]).map(inferLiteral);
    let element: DataType = Types.null;
    for (const item of items) {
      const common = commonType(element, item.type);
      if (!common) throw new TypeError(`lit(): list elements have mixed types; cast them to one type first`);
      element = common;
    }
    return {
      kind: "Literal",
      value: items.map((i) => convertLiteral(i.value, i.type, element)),
      type: Types.list(element),
    };
  }
  throw new TypeError(`lit(): unsupported value ${String(value)}; use a number, bigint, string, boolean, Date, array or null`);
}

/** Re-expresses a literal's value in another type's representation when that is lossless and obvious. */
function convertLiteral(value: LiteralValue, from: DataType, to: DataType): LiteralValue {
  if (value === null) return null;
  if (to.kind === "int64" && typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (to.kind === "float64" && typeof value === "bigint") return Number(value);
  if (to.kind === "float64" && typeof value === "number") return value;
  if (to.kind === "timestamp" && from.kind === "int64") return value;
  if (to.kind === "date" && from.kind === "timestamp" && typeof value === "bigint") return Number(value / 86_400_000_000n);
  return value;
}
