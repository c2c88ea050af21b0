/**
 * A compiled expression node: its result type, how to evaluate it over a batch, and, for constants
 * (literals and casts of literals), the value itself so parents can run column-op-scalar loops.
 */
import type { Batch, Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import { type DataType, typesEqual } from "../types.js";
import { castColumn } from "./cast.js";
import { literalColumn, valueAt } from "./columns.js";

export interface Node {
  readonly type: DataType;
  evaluate(batch: Batch): Column;
  /** Present when the node is a constant; `value` is in the node's type (LiteralValue convention). */
  readonly constant?: { readonly value: LiteralValue };
}

export function constantNode(value: LiteralValue, type: DataType): Node {
  return { type, constant: { value }, evaluate: (batch) => literalColumn(value, type, batch.length) };
}

/** Wraps `node` in a cast to `to` (folded at compile time for constants). */
export function castNode(node: Node, to: DataType): Node {
  if (typesEqual(node.type, to)) return node;
  if (node.constant) {
    const cast = castColumn(literalColumn(node.constant.value, node.type, 1), to);
    return constantNode(valueAt(cast, 0), to);
  }
  return { type: to, evaluate: (batch) => castColumn(node.evaluate(batch), to) };
}

/**
 * A constant as the raw element a typed-array loop compares against: numbers for int32/date/
 * float64, 0/1 for bool, bigint for int64/timestamp/decimal, a JS string for strings.
 */
export function rawScalar(node: Node): number | bigint | string | null {
  const v = node.constant!.value;
  if (v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (node.type.kind === "int64" || node.type.kind === "timestamp" || node.type.kind === "decimal") {
    return typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)));
  }
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") return v;
  return null;
}
