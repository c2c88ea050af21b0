/**
 * Validity bitmaps (Arrow order: bit i of byte i>>3, LSB first; set = valid; absent = no nulls).
 * Local helpers until runtime/batch grows shared ones.
 */
import type { Validity } from "../../batch/column.js";

export function isValid(v: Validity, i: number): boolean {
  return v === undefined || ((v[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** A bitmap with every row null; set bits with `setValid`. */
export function allNullBitmap(length: number): Uint8Array {
  return new Uint8Array((length + 7) >> 3);
}

export function allValidBitmap(length: number): Uint8Array {
  const v = new Uint8Array((length + 7) >> 3).fill(0xff);
  return v;
}

export function setValid(v: Uint8Array, i: number): void {
  v[i >> 3]! |= 1 << (i & 7);
}

export function setNull(v: Uint8Array, i: number): void {
  v[i >> 3]! &= ~(1 << (i & 7));
}

/** Rows valid in every input (null in any input gives null out). */
export function andValidity(length: number, a: Validity, b: Validity): Validity {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

export function andAllValidity(length: number, vs: readonly Validity[]): Validity {
  let acc: Validity = undefined;
  for (const v of vs) acc = andValidity(length, acc, v);
  return acc;
}

/** Drops a bitmap that has no null bit, so fast paths can skip validity checks. */
export function compactValidity(v: Validity, length: number): Validity {
  if (v === undefined) return undefined;
  const full = length >> 3;
  for (let i = 0; i < full; i++) if (v[i] !== 0xff) return v;
  for (let i = full << 3; i < length; i++) if (!isValid(v, i)) return v;
  return undefined;
}

export function nullCount(v: Validity, length: number): number {
  if (v === undefined) return 0;
  let n = 0;
  for (let i = 0; i < length; i++) if (!isValid(v, i)) n++;
  return n;
}

/** Validity of rows picked by index (gather), e.g. after a filter or a dictionary lookup. */
export function gatherValidity(v: Validity, indices: ArrayLike<number>, length: number): Validity {
  if (v === undefined) return undefined;
  const out = allNullBitmap(length);
  for (let i = 0; i < length; i++) if (isValid(v, indices[i]!)) setValid(out, i);
  return out;
}
