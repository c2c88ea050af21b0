/** Validity as one byte per row (1 = valid), or undefined when the column has no nulls. */
import type { Column, Validity } from "../column.js";

export function validFlagsOf(col: Column): Uint8Array | undefined {
  if (col.type.kind === "null") return new Uint8Array(col.length);
  const v = (col as { validity: Validity }).validity;
  if (v === undefined) return undefined;
  const out = new Uint8Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = (v[i >>> 3]! >>> (i & 7)) & 1;
  return out;
}
