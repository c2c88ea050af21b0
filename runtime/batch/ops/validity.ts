/**
 * Validity bitmaps (Arrow order: bit i LSB-first, set = valid) and null tests shared by the
 * operators. A column without a bitmap has no nulls; a column of type null is all nulls.
 */
import type { Column, Validity } from "../column.js";

export function bitmapBytes(length: number): number {
  return (length + 7) >>> 3;
}

export function isValidAt(validity: Validity, i: number): boolean {
  return validity === undefined || (validity[i >>> 3]! & (1 << (i & 7))) !== 0;
}

export function columnValidity(col: Column): Validity {
  return col.type.kind === "null" ? undefined : (col as { validity: Validity }).validity;
}

/** True if row i of `col` is null (handles the all-null `null` type). */
export function isNullAt(col: Column, i: number): boolean {
  if (col.type.kind === "null") return true;
  const v = (col as { validity: Validity }).validity;
  return v !== undefined && (v[i >>> 3]! & (1 << (i & 7))) === 0;
}

export function setValid(bitmap: Uint8Array, i: number): void {
  bitmap[i >>> 3]! |= 1 << (i & 7);
}

export function setNull(bitmap: Uint8Array, i: number): void {
  bitmap[i >>> 3]! &= ~(1 << (i & 7));
}

/** Bitmap from a byte-per-row flag array (1 = valid); undefined when every row is valid. */
export function bitmapFromFlags(flags: Uint8Array, length: number): Validity {
  let allValid = true;
  for (let i = 0; i < length; i++) if (flags[i] === 0) { allValid = false; break; }
  if (allValid) return undefined;
  const out = new Uint8Array(bitmapBytes(length));
  for (let i = 0; i < length; i++) if (flags[i] !== 0) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

/** Count of null rows. */
export function nullCount(col: Column): number {
  if (col.type.kind === "null") return col.length;
  const v = (col as { validity: Validity }).validity;
  if (v === undefined) return 0;
  let n = 0;
  for (let i = 0; i < col.length; i++) if ((v[i >>> 3]! & (1 << (i & 7))) === 0) n++;
  return n;
}
