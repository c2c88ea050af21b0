/**
 * Boolean logic with SQL's three values (true, false, null) and the unary operators.
 *   and: false wins over null (false AND null = false), otherwise null taints.
 *   or:  true wins over null (true OR null = true), otherwise null taints.
 */
import type { Column } from "../../batch/column.js";
import type { UnaryOp } from "../ir.js";
import { Types, typeToString } from "../types.js";
import { allocValues, fixedColumn, nullColumn, validityOf } from "./columns.js";
import { ExprCompileError } from "./errors.js";
import { allNullBitmap, isValid } from "./validity.js";

type BoolCol = Extract<Column, { values: Uint8Array }>;
type Fixed = Column & { values: Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };

function boolParts(c: Column): { values: Uint8Array | undefined; validity: Uint8Array | undefined } {
  if (c.type.kind === "null") return { values: undefined, validity: allNullBitmap(c.length) };
  const b = c as BoolCol;
  return { values: b.values, validity: b.validity };
}

export function andOr(op: "and" | "or", left: Column, right: Column, length: number): Column {
  const l = boolParts(left);
  const r = boolParts(right);
  const out = new Uint8Array(length);
  if (l.validity === undefined && r.validity === undefined) {
    const a = l.values!; const b = r.values!;
    if (op === "and") for (let i = 0; i < length; i++) out[i] = a[i]! & b[i]!;
    else for (let i = 0; i < length; i++) out[i] = a[i]! | b[i]!;
    return fixedColumn(Types.bool, out, undefined);
  }
  const validity = allNullBitmap(length);
  const dominant = op === "and" ? 0 : 1;
  const lv = l.validity;
  const rv = r.validity;
  const a = l.values;
  const b = r.values;
  for (let i = 0; i < length; i++) {
    const bit = 1 << (i & 7);
    const byte = i >> 3;
    // -1 marks null; a dominant value on either side decides the row even if the other is null.
    const x = a !== undefined && (lv === undefined || (lv[byte]! & bit) !== 0) ? a[i]! : -1;
    const y = b !== undefined && (rv === undefined || (rv[byte]! & bit) !== 0) ? b[i]! : -1;
    if (x === dominant || y === dominant) { out[i] = dominant; validity[byte]! |= bit; }
    else if (x !== -1 && y !== -1) { out[i] = 1 - dominant; validity[byte]! |= bit; }
  }
  return fixedColumn(Types.bool, out, validity);
}

export function unary(op: UnaryOp, c: Column, length: number): Column {
  switch (op) {
    case "isNull": case "isNotNull": {
      const v = validityOf(c);
      const out = new Uint8Array(length);
      const want = op === "isNotNull";
      for (let i = 0; i < length; i++) out[i] = isValid(v, i) === want ? 1 : 0;
      return fixedColumn(Types.bool, out, undefined);
    }
    case "not": {
      if (c.type.kind === "null") return nullColumn(Types.bool, length);
      if (c.type.kind !== "bool") throw new ExprCompileError(`"not" needs a boolean, got ${typeToString(c.type)}`);
      const b = c as BoolCol;
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = b.values[i]! ^ 1;
      return fixedColumn(Types.bool, out, b.validity);
    }
    case "isNaN": {
      const out = new Uint8Array(length);
      if (c.type.kind === "float64") {
        const f = c as Fixed;
        for (let i = 0; i < length; i++) out[i] = isValid(f.validity, i) && Number.isNaN(f.values[i]) ? 1 : 0;
      }
      return fixedColumn(Types.bool, out, undefined);
    }
    case "negate": {
      if (c.type.kind === "null") return c;
      const f = c as Fixed;
      const out = allocValues(c.type, length);
      if (!out || c.type.kind === "bool" || c.type.kind === "date") throw new ExprCompileError(`cannot negate ${typeToString(c.type)}; negation needs a number`);
      if (out instanceof BigInt64Array) { const s = f.values as BigInt64Array; for (let i = 0; i < length; i++) out[i] = -s[i]!; }
      else if (out instanceof Int32Array) { const s = f.values as Int32Array; for (let i = 0; i < length; i++) out[i] = -s[i]! | 0; }
      else { const s = f.values as Float64Array; for (let i = 0; i < length; i++) (out as Float64Array)[i] = -s[i]!; }
      return fixedColumn(c.type, out, f.validity);
    }
  }
}
