/**
 * Comparisons of two operands of one type (the compiler casts them first). Numbers and bigints
 * use generated loops; strings compare UTF-8 bytes (= code point order, as Spark), and a
 * dictionary column against a constant compares each dictionary entry once.
 * `<=>` (null-safe equality) is never null: null <=> null is true.
 */
import type { Column } from "../../batch/column.js";
import type { BinaryOp } from "../ir.js";
import { Types } from "../types.js";
import { fixedColumn, nullColumn } from "./columns.js";
import type { Operand } from "./arithmetic.js";
import { expandByCodes } from "./dictionary.js";
import { ExprCompileError } from "./errors.js";
import { binaryLoop } from "./loops.js";
import { dictionaryOf, endOf, readerOf, startOf, type StringColumn, type StringReader } from "./strings.js";
import { andValidity, isValid } from "./validity.js";

type Fixed = Column & { values: Uint8Array | Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };
export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "<=>";

const JS_OP: Record<Exclude<CompareOp, "<=>">, string> = { "=": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/**
 * Doubles compare as Spark (and DuckDB) do: NaN equals NaN and is larger than every other number,
 * so filters and sorts agree on where NaN goes. (x !== x is true only for NaN.)
 */
const FLOAT_BODIES: Record<Exclude<CompareOp, "<=>">, string> = {
  "=": "{ const x = A, y = B; out[i] = x === y || (x !== x && y !== y) ? 1 : 0; }",
  "!=": "{ const x = A, y = B; out[i] = x === y || (x !== x && y !== y) ? 0 : 1; }",
  "<": "{ const x = A, y = B; out[i] = x < y || (y !== y && x === x) ? 1 : 0; }",
  "<=": "{ const x = A, y = B; out[i] = x <= y || y !== y ? 1 : 0; }",
  ">": "{ const x = A, y = B; out[i] = x > y || (x !== x && y === y) ? 1 : 0; }",
  ">=": "{ const x = A, y = B; out[i] = x >= y || x !== x ? 1 : 0; }",
};

export function isCompareOp(op: BinaryOp): op is CompareOp {
  return op in JS_OP || op === "<=>";
}

/** Compares two column-or-scalar operands; string scalars are JS strings, others raw typed values. */
export function compare(op: CompareOp, left: Operand | StringOperand, right: Operand | StringOperand, length: number): Column {
  if (op === "<=>") return nullSafeEqual(left, right, length);
  const lNull = "scalar" in left && left.scalar === null;
  const rNull = "scalar" in right && right.scalar === null;
  if (lNull || rNull) return nullColumn(Types.bool, length);
  const lc = "column" in left ? left.column : undefined;
  const rc = "column" in right ? right.column : undefined;
  if (lc?.type.kind === "null" || rc?.type.kind === "null") return nullColumn(Types.bool, length);
  const type = (lc ?? rc)?.type;
  if (type?.kind === "string") return compareStrings(op, left, right, length);
  if (type?.kind === "list") throw new ExprCompileError(`lists cannot be compared with "${op}"`);
  const out = new Uint8Array(length);
  const a = lc ? (lc as Fixed).values : (left as { scalar: unknown }).scalar;
  const b = rc ? (rc as Fixed).values : (right as { scalar: unknown }).scalar;
  const body = type?.kind === "float64" ? FLOAT_BODIES[op] : `out[i] = A ${JS_OP[op]} B ? 1 : 0;`;
  binaryLoop(body, !lc, !rc, type?.kind)(a, b, out, undefined, length, undefined);
  return fixedColumn(Types.bool, out, andValidity(length, (lc as Fixed | undefined)?.validity, (rc as Fixed | undefined)?.validity));
}

/** A string scalar side (a literal after casts). */
export type StringOperand = { readonly scalar: string | null };

const encoder = new TextEncoder();

function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = a[as + k]! - b[bs + k]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

function verdict(op: Exclude<CompareOp, "<=>">, c: number): number {
  switch (op) {
    case "=": return c === 0 ? 1 : 0;
    case "!=": return c !== 0 ? 1 : 0;
    case "<": return c < 0 ? 1 : 0;
    case "<=": return c <= 0 ? 1 : 0;
    case ">": return c > 0 ? 1 : 0;
    case ">=": return c >= 0 ? 1 : 0;
  }
}

const FLIP: Record<Exclude<CompareOp, "<=>">, Exclude<CompareOp, "<=>">> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function compareStrings(op: Exclude<CompareOp, "<=>">, left: Operand | StringOperand, right: Operand | StringOperand, length: number): Column {
  // Put the column on the left.
  if (!("column" in left)) return compareStrings(FLIP[op], right, left, length);
  const col = left.column as StringColumn;
  if (!("column" in right)) {
    const lit = encoder.encode(String((right as StringOperand).scalar));
    if (col.encoding === "dict") {
      const perEntry = compareStrings(op, { column: dictionaryOf(col) }, right, col.dictionary.length);
      return expandByCodes(col, perEntry);
    }
    const { bytes, offsets } = col;
    const out = new Uint8Array(length);
    if (op === "=" || op === "!=") {
      // Equality: lengths first, then bytes; no three-way compare per row.
      const hit = op === "=" ? 1 : 0;
      const n = lit.length;
      for (let i = 0; i < length; i++) {
        const s = offsets[i]!;
        let eq = offsets[i + 1]! - s === n;
        for (let k = 0; eq && k < n; k++) eq = bytes[s + k] === lit[k];
        out[i] = eq ? hit : 1 - hit;
      }
    } else {
      for (let i = 0; i < length; i++) out[i] = verdict(op, compareBytes(bytes, offsets[i]!, offsets[i + 1]!, lit, 0, lit.length));
    }
    return fixedColumn(Types.bool, out, col.validity);
  }
  const a = readerOf(col) as StringReader;
  const b = readerOf(right.column) as StringReader;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = verdict(op, compareBytes(a.bytes, startOf(a, i), endOf(a, i), b.bytes, startOf(b, i), endOf(b, i)));
  }
  return fixedColumn(Types.bool, out, andValidity(length, a.validity, b.validity));
}

function nullSafeEqual(left: Operand | StringOperand, right: Operand | StringOperand, length: number): Column {
  const eq = compare("=", nonNull(left, right), nonNull(right, left), length) as Fixed;
  const lv = validityOfOperand(left);
  const rv = validityOfOperand(right);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const a = lv(i);
    const b = rv(i);
    out[i] = a && b ? (isValid(eq.validity, i) ? (eq.values[i] as number) : 0) : a === b ? 1 : 0;
  }
  return fixedColumn(Types.bool, out, undefined);
}

/** For `<=>`, a null scalar is compared as "never equal" so the loop still runs on the other side. */
function nonNull(o: Operand | StringOperand, other: Operand | StringOperand): Operand | StringOperand {
  if (!("scalar" in o) || o.scalar !== null) return o;
  if ("column" in other) return { column: nullColumn(other.column.type, other.column.length) };
  return o;
}

function validityOfOperand(o: Operand | StringOperand): (i: number) => boolean {
  if ("scalar" in o) { const valid = o.scalar !== null; return () => valid; }
  const c = o.column;
  if (c.type.kind === "null") return () => false;
  const v = (c as Fixed).validity;
  return (i) => isValid(v, i);
}

