/**
 * Arithmetic on two operands of the same type (the compiler casts them to binaryTyping's operand
 * type first). int32 wraps like Java ints, int64 is exact in BigInt64Array (wrapping on overflow),
 * decimals are unscaled bigints (null on overflow), and x / 0 or x % 0 is null (Spark, non-ANSI).
 */
import type { Column } from "../../batch/column.js";
import type { BinaryOp } from "../ir.js";
import { type DataType, typeToString } from "../types.js";
import { allocValues, fixedColumn, nullColumn } from "./columns.js";
import { ExprCompileError } from "./errors.js";
import { binaryLoop } from "./loops.js";
import { divHalfUp, fitsDecimal } from "./number-format.js";
import { allValidBitmap, andValidity } from "./validity.js";

/** A side of a binary operation: a column, or a scalar raw value (typed-array element form; null = null). */
export type Operand = { readonly column: Column } | { readonly scalar: number | bigint | null };

type Fixed = Column & { values: Uint8Array | Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };

const BODIES: Readonly<Record<string, Partial<Record<BinaryOp, string>>>> = {
  int32: {
    "+": "out[i] = (A + B) | 0;",
    "-": "out[i] = (A - B) | 0;",
    "*": "out[i] = Math.imul(A, B);",
    "%": "{ const y = B; if (y === 0) NULL; else out[i] = A % y; }",
    "/": "{ const y = B; if (y === 0) NULL; else out[i] = A / y; }",
  },
  float64: {
    "+": "out[i] = A + B;",
    "-": "out[i] = A - B;",
    "*": "out[i] = A * B;",
    "/": "{ const y = B; if (y === 0) NULL; else out[i] = A / y; }",
    "%": "{ const y = B; if (y === 0) NULL; else out[i] = A % y; }",
  },
  int64: {
    "+": "out[i] = A + B;",
    "-": "out[i] = A - B;",
    "*": "out[i] = A * B;",
    "%": "{ const y = B; if (y === 0n) NULL; else out[i] = A % y; }",
    "/": "{ const y = B; if (y === 0n) NULL; else out[i] = A / y; }",
  },
  decimal: {
    "+": "{ const r = A + B; if (h.fits(r)) out[i] = r; else NULL; }",
    "-": "{ const r = A - B; if (h.fits(r)) out[i] = r; else NULL; }",
    "*": "{ const r = h.div(A * B, h.unit); if (h.fits(r)) out[i] = r; else NULL; }",
    "/": "{ const y = B; if (y === 0n) NULL; else { const r = h.div(A * h.mul, y); if (h.fits(r)) out[i] = r; else NULL; } }",
    "%": "{ const y = B; if (y === 0n) NULL; else out[i] = A % y; }",
  },
};

/** Ops whose loop can turn a valid row into null (so the result needs its own validity bitmap). */
function mayNull(family: string, op: BinaryOp): boolean {
  return op === "/" || op === "%" || family === "decimal";
}

function familyOf(t: DataType): string {
  switch (t.kind) {
    case "int32": return "int32";
    case "float64": return "float64";
    case "int64": return "int64";
    case "decimal": return "decimal";
    default: return t.kind;
  }
}

/**
 * `left op right` for arithmetic ops. `operandType` is the type both sides already have;
 * `resultType` is binaryTyping's result (differs from operandType only for decimal division).
 */
export function arithmetic(op: BinaryOp, operandType: DataType, resultType: DataType, left: Operand, right: Operand, length: number): Column {
  const family = familyOf(operandType);
  const body = BODIES[family]?.[op];
  if (!body) throw new ExprCompileError(`arithmetic "${op}" is not defined for ${typeToString(operandType)}`);
  if (("scalar" in left && left.scalar === null) || ("scalar" in right && right.scalar === null)) return nullColumn(resultType, length);
  const lv = "column" in left ? (left.column as Fixed) : undefined;
  const rv = "column" in right ? (right.column as Fixed) : undefined;
  if ((lv && lv.type.kind === "null") || (rv && rv.type.kind === "null")) return nullColumn(resultType, length);
  const inValid = andValidity(length, lv?.validity, rv?.validity);
  let validity = inValid;
  if (mayNull(family, op)) validity = inValid ? inValid.slice() : allValidBitmap(length);
  const out = allocValues(resultType, length)!;
  const a = lv ? lv.values : (left as { scalar: number | bigint }).scalar;
  const b = rv ? rv.values : (right as { scalar: number | bigint }).scalar;
  binaryLoop(body, !lv, !rv, `${operandType.kind}>${resultType.kind}`)(a, b, out, validity, length, decimalHelpers(operandType, resultType));
  return fixedColumn(resultType, out, validity);
}

interface DecimalHelpers { fits(v: bigint): boolean; div(a: bigint, b: bigint): bigint; unit: bigint; mul: bigint }

function decimalHelpers(operandType: DataType, resultType: DataType): DecimalHelpers | undefined {
  if (operandType.kind !== "decimal" || resultType.kind !== "decimal") return undefined;
  const precision = resultType.precision;
  return {
    fits: (v) => fitsDecimal(v, precision),
    div: divHalfUp,
    // a*b has scale 2s; dividing by 10^s brings it back to s.
    unit: 10n ** BigInt(operandType.scale),
    // (a / 10^s) / (b / 10^s) at result scale rs: a * 10^rs / b.
    mul: 10n ** BigInt(resultType.scale),
  };
}
